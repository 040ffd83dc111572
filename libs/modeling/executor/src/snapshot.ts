import type { SnapshotNode } from '@sp01/modeling-compiler';
import type { NodeResult } from './run-results.js';
import type { RunContext } from './run-context.js';
import { NodeClock, nodeResult, responseForResults } from './run-context.js';
import { errorText } from './materialize-model.js';
import { snapshotColumnNames } from './snapshot-sql.js';

/**
 * dbt's snapshot materialization: the first run creates the table with the dbt_* columns;
 * later runs add columns new in the select, stage the changes and merge them in.
 */
export async function runSnapshot(ctx: RunContext, node: SnapshotNode, threadId: string): Promise<NodeResult> {
  const clock = new NodeClock();
  const { adapter, compiler } = ctx;
  const relation = compiler.relationOf(node);
  const relationName = adapter.dialect.renderRelation(relation);
  let compiledCode: string | null = null;
  try {
    const compiled = compiler.compile(node.unique_id);
    compiledCode = compiled.compiled_code;
    clock.compiled();
    await ctx.ensureSchema(relation);
    return await adapter.withSession(async (session) => {
      const options = { label: node.unique_id };
      for (const hook of compiled.pre_hooks) await session.execute(hook, options);
      const existing = await session.getRelation(relation);
      const sourceColumns = await session.describeQuery(compiled.compiled_code);
      let targetColumns = existing ? await session.getColumns(relation) : [];
      if (existing) {
        if (existing.type !== 'table') throw new Error(`snapshot ${node.unique_id}: ${relationName} exists and is a ${existing.type}, not a table`);
        const validTo = snapshotColumnNames(node.config).dbt_valid_to.toLowerCase();
        if (!targetColumns.some((c) => c.name.toLowerCase() === validTo)) {
          throw new Error(`snapshot ${node.unique_id}: ${relationName} exists but has no ${validTo} column; it was not made by a snapshot`);
        }
        // dbt's create_columns: columns new in the select are added; none are ever dropped.
        const known = new Set(targetColumns.map((c) => c.name.toLowerCase()));
        const add = sourceColumns.filter((c) => !known.has(c.name.toLowerCase()));
        if (add.length > 0) {
          await session.runPlan(adapter.schemaChangePlan({ relation, add, remove: [] }), options);
          targetColumns = [...targetColumns, ...add];
        }
      }
      const plan = adapter.snapshotPlan({
        relation,
        existing,
        sql: compiled.compiled_code,
        config: node.config,
        source_columns: sourceColumns,
        target_columns: targetColumns,
      });
      const response = await session.runPlan(plan, options);
      for (const hook of compiled.post_hooks) await session.execute(hook, options);
      return nodeResult(clock, {
        unique_id: node.unique_id,
        status: 'success',
        thread_id: threadId,
        message: response.message,
        adapter_response: responseForResults(response),
        compiled_code: compiled.compiled_code,
        relation_name: relationName,
      });
    });
  } catch (err) {
    return nodeResult(clock, { unique_id: node.unique_id, status: 'error', thread_id: threadId, message: errorText(err), compiled_code: compiledCode, relation_name: relationName });
  }
}
