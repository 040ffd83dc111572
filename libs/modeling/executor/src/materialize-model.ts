import type { IncrementalStrategy, ModelNode } from '@sp01/modeling-compiler';
import type { AdapterSession, ColumnDef, ExistingRelation, SqlPlan, WarehouseAdapter } from './adapter.js';
import type { NodeResult } from './run-results.js';
import type { RunContext } from './run-context.js';
import { NodeClock, nodeResult, responseForResults } from './run-context.js';

/** dbt's `should_full_refresh()`: the model's `full_refresh` config wins over the flag. */
export function shouldFullRefresh(node: ModelNode, flag: boolean): boolean {
  return node.config.full_refresh ?? flag;
}

/** dbt's rule for is_incremental(): the relation exists, is a table, and this is no full refresh. */
export function isIncrementalRun(node: ModelNode, existing: ExistingRelation | null, fullRefreshFlag: boolean): boolean {
  return node.config.materialized === 'incremental' && existing !== null && existing.type === 'table' && !shouldFullRefresh(node, fullRefreshFlag);
}

export function uniqueKeyList(key: string | string[] | null): string[] {
  if (key === null) return [];
  return Array.isArray(key) ? key : [key];
}

export function incrementalStrategyOf(node: ModelNode, adapter: WarehouseAdapter): IncrementalStrategy {
  return node.config.incremental_strategy ?? adapter.defaultIncrementalStrategy(node.config);
}

const lower = (name: string) => name.toLowerCase();

export interface SchemaChanges {
  source_not_in_target: ColumnDef[];
  target_not_in_source: ColumnDef[];
  new_target_types: { column_name: string; new_type: string }[];
}

/** dbt's `check_for_schema_changes`: columns compared by name (case-insensitively) and type. */
export function schemaChanges(source: readonly ColumnDef[], target: readonly ColumnDef[]): SchemaChanges {
  const targetByName = new Map(target.map((c) => [lower(c.name), c]));
  const sourceNames = new Set(source.map((c) => lower(c.name)));
  return {
    source_not_in_target: source.filter((c) => !targetByName.has(lower(c.name))),
    target_not_in_source: target.filter((c) => !sourceNames.has(lower(c.name))),
    new_target_types: source
      .filter((c) => {
        const existing = targetByName.get(lower(c.name));
        return existing !== undefined && lower(existing.data_type) !== lower(c.data_type);
      })
      .map((c) => ({ column_name: c.name, new_type: c.data_type })),
  };
}

function changed(changes: SchemaChanges): boolean {
  return changes.source_not_in_target.length > 0 || changes.target_not_in_source.length > 0 || changes.new_target_types.length > 0;
}

/** dbt's message for `on_schema_change: fail`, word for word where it can be. */
export function schemaChangeFailure(node: ModelNode, changes: SchemaChanges): string {
  const names = (columns: readonly ColumnDef[]) => `[${columns.map((c) => c.name).join(', ')}]`;
  return [
    `The source and target schemas on this incremental model are out of sync!`,
    `They can be reconciled in several ways:`,
    `  - set the \`on_schema_change\` config to either append_new_columns or sync_all_columns, depending on your situation.`,
    `  - Re-run the incremental model with \`full_refresh: True\` to update the target schema.`,
    `  - update the schema manually and re-run the process.`,
    ``,
    `Additional troubleshooting context:`,
    `   Source columns not in target: ${names(changes.source_not_in_target)}`,
    `   Target columns not in source: ${names(changes.target_not_in_source)}`,
    `   New column types: [${changes.new_target_types.map((t) => `${t.column_name} ${t.new_type}`).join(', ')}]`,
    `(model ${node.unique_id})`,
  ].join('\n');
}

/**
 * dbt's `process_schema_changes`: returns the columns the incremental statement writes
 * (`dest_columns`) and the plan that alters the target first, or throws for `fail`.
 */
export async function incrementalColumns(
  adapter: WarehouseAdapter,
  session: AdapterSession,
  node: ModelNode,
  relation: ExistingRelation,
  sql: string,
): Promise<{ columns: ColumnDef[]; alter: SqlPlan }> {
  const target = await session.getColumns(relation);
  const onSchemaChange = node.config.on_schema_change;
  if (onSchemaChange === 'ignore') return { columns: target, alter: [] };
  const source = await session.describeQuery(sql);
  const changes = schemaChanges(source, target);
  if (!changed(changes)) return { columns: source, alter: [] };
  if (onSchemaChange === 'fail') throw new Error(schemaChangeFailure(node, changes));
  const add = changes.source_not_in_target;
  const remove = onSchemaChange === 'sync_all_columns' ? changes.target_not_in_source : [];
  const alter = add.length > 0 || remove.length > 0 ? adapter.schemaChangePlan({ relation, add, remove }) : [];
  return { columns: source, alter };
}

/** Builds one model (view, table or incremental) on one session; ephemeral models never get here. */
export async function materializeModel(ctx: RunContext, node: ModelNode, threadId: string): Promise<NodeResult> {
  const clock = new NodeClock();
  const { adapter, compiler } = ctx;
  const relation = compiler.relationOf(node);
  let compiledCode: string | null = null;
  const relationName = adapter.dialect.renderRelation(relation);
  try {
    await ctx.ensureSchema(relation);
    return await adapter.withSession(async (session) => {
      const existing = await session.getRelation(relation);
      const incremental = isIncrementalRun(node, existing, ctx.fullRefresh);
      const compiled = compiler.compile(node.unique_id, { isIncremental: incremental });
      compiledCode = compiled.compiled_code;
      clock.compiled();
      const options = { label: node.unique_id, labels: node.config.labels };
      for (const hook of compiled.pre_hooks) await session.execute(hook, options);
      const config = node.config;
      let plan: SqlPlan;
      if (config.materialized === 'view') {
        plan = adapter.viewPlan({ relation, existing, sql: compiled.compiled_code, config });
      } else if (config.materialized === 'incremental' && incremental && existing) {
        const { columns, alter } = await incrementalColumns(adapter, session, node, existing, compiled.compiled_code);
        if (alter.length > 0) await session.runPlan(alter, options);
        plan = adapter.incrementalPlan({
          relation,
          existing,
          sql: compiled.compiled_code,
          strategy: incrementalStrategyOf(node, adapter),
          unique_key: uniqueKeyList(config.unique_key),
          incremental_predicates: config.incremental_predicates,
          columns,
          config,
        });
      } else {
        plan = adapter.tablePlan({ relation, existing, sql: compiled.compiled_code, config });
      }
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
    return nodeResult(clock, {
      unique_id: node.unique_id,
      status: 'error',
      thread_id: threadId,
      message: errorText(err),
      compiled_code: compiledCode,
      relation_name: relationName,
    });
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
