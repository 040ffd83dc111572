import type { SeedNode } from '@sp01/modeling-compiler';
import { readSeed } from '@sp01/modeling-compiler';
import type { ColumnDef } from './adapter.js';
import type { NodeResult } from './run-results.js';
import type { RunContext } from './run-context.js';
import { NodeClock, nodeResult, responseForResults } from './run-context.js';
import { errorText } from './materialize-model.js';
import { inferSeedType } from './seed-types.js';

/** dbt's seed: a CSV loaded into a table, typed by `column_types` or inferred per column. */
export async function loadSeed(ctx: RunContext, node: SeedNode, threadId: string): Promise<NodeResult> {
  const clock = new NodeClock();
  const { adapter, compiler } = ctx;
  const relation = compiler.relationOf(node);
  const relationName = adapter.dialect.renderRelation(relation);
  try {
    const data = readSeed(node);
    const declared = new Map(Object.entries(data.column_types).map(([name, type]) => [name.toLowerCase(), type]));
    const columns: ColumnDef[] = data.columns.map((name, i) => ({
      name,
      data_type: declared.get(name.toLowerCase()) ?? adapter.convertType(inferSeedType(data.rows.map((row) => row[i] ?? null))),
    }));
    clock.compiled();
    await ctx.ensureSchema(relation);
    return await adapter.withSession(async (session) => {
      const existing = await session.getRelation(relation);
      const fullRefresh = node.config.full_refresh ?? ctx.fullRefresh;
      const plan = adapter.seedPlan({ relation, existing, full_refresh: fullRefresh, columns, rows: data.rows });
      const response = await session.runPlan(plan, { label: node.unique_id });
      return nodeResult(clock, {
        unique_id: node.unique_id,
        status: 'success',
        thread_id: threadId,
        message: response.message,
        adapter_response: responseForResults(response),
        relation_name: relationName,
      });
    });
  } catch (err) {
    return nodeResult(clock, { unique_id: node.unique_id, status: 'error', thread_id: threadId, message: errorText(err), relation_name: relationName });
  }
}
