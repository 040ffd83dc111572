import type { GraphNode, IndirectSelection, ProjectGraph, Target, UniqueId } from '@sp01/modeling-compiler';
import { createCompiler, selectNodes } from '@sp01/modeling-compiler';
import type { DryRunResult, WarehouseAdapter } from './adapter.js';
import { isIncrementalRun } from './materialize-model.js';
import { errorText } from './materialize-model.js';
import { runDag } from './scheduler.js';

export interface DryRunOptions {
  graph: ProjectGraph;
  adapter: WarehouseAdapter;
  select?: readonly string[];
  exclude?: readonly string[];
  indirectSelection?: IndirectSelection;
  /** Which nodes a later command would run: models (`run`), plus snapshots and tests (`build`, default). */
  command?: 'run' | 'build' | 'test' | 'snapshot';
  fullRefresh?: boolean;
  threads?: number;
  target?: Target;
  vars?: Record<string, unknown>;
  /** The byte budget: the report says whether the selection stays under it. */
  maxBytes?: number;
}

export interface NodeDryRun extends DryRunResult {
  unique_id: UniqueId;
  resource_type: GraphNode['resource_type'];
  /** On-demand cost of `bytes_processed` (USD), where the warehouse bills by bytes. */
  cost: number | null;
}

export interface DryRunReport {
  results: NodeDryRun[];
  /** Sum of the bytes the warehouse reported; null when it reports none (PostgreSQL). */
  total_bytes: number | null;
  total_cost: number | null;
  max_bytes: number | null;
  /** True when `total_bytes` is known and above `max_bytes`: the run must not start. */
  over_budget: boolean;
}

function included(node: GraphNode, command: NonNullable<DryRunOptions['command']>): boolean {
  if (node.resource_type === 'model') return command !== 'test' && command !== 'snapshot' && node.config.materialized !== 'ephemeral';
  if (node.resource_type === 'snapshot') return command === 'build' || command === 'snapshot';
  if (node.resource_type === 'test') return command === 'build' || command === 'test';
  return false;
}

/**
 * Plans every selected node's SQL without running it: PostgreSQL EXPLAINs it, BigQuery
 * dry-runs it and tells the bytes it would process. Nothing is created or changed.
 */
export async function dryRunGraph(options: DryRunOptions): Promise<DryRunReport> {
  const { graph, adapter } = options;
  const command = options.command ?? 'build';
  const compiler = createCompiler(graph, { dialect: adapter.dialect, target: options.target, vars: options.vars, fullRefresh: options.fullRefresh ?? false });
  const selected = selectNodes(graph, { select: options.select, exclude: options.exclude, indirectSelection: options.indirectSelection });
  const nodes = graph.order
    .map((id) => graph.nodes.get(id))
    .filter((node): node is GraphNode => node !== undefined && selected.has(node.unique_id) && included(node, command));
  // Compile errors surface here, before any planning, as they would before a run.
  for (const node of nodes) if (node.resource_type !== 'unit_test') compiler.compile(node.unique_id);
  const results = await runDag(
    nodes.map((node) => ({ id: node.unique_id, deps: [], node })),
    {
      threads: options.threads ?? 1,
      skip: () => {
        throw new Error('dry runs do not depend on each other');
      },
      run: async ({ node }): Promise<{ result: NodeDryRun; failed: boolean }> => {
        try {
          let incremental = false;
          if (node.resource_type === 'model' && node.config.materialized === 'incremental') {
            const existing = await adapter.getRelation(compiler.relationOf(node));
            incremental = isIncrementalRun(node, existing, options.fullRefresh ?? false);
          }
          const compiled = compiler.compile(node.unique_id, { isIncremental: incremental });
          const outcome = await adapter.dryRun(compiled.compiled_code);
          const cost = outcome.bytes_processed === undefined ? null : adapter.cost(outcome.bytes_processed);
          return { failed: !outcome.ok, result: { unique_id: node.unique_id, resource_type: node.resource_type, ...outcome, cost } };
        } catch (err) {
          return { failed: true, result: { unique_id: node.unique_id, resource_type: node.resource_type, ok: false, error: errorText(err), cost: null } };
        }
      },
    },
  );
  const list = nodes.map((node) => results.get(node.unique_id) as NodeDryRun);
  const withBytes = list.filter((r) => r.bytes_processed !== undefined);
  const totalBytes = withBytes.length === 0 ? null : withBytes.reduce((sum, r) => sum + (r.bytes_processed ?? 0), 0);
  const costs = list.filter((r) => r.cost !== null);
  const totalCost = costs.length === 0 ? null : costs.reduce((sum, r) => sum + (r.cost ?? 0), 0);
  const maxBytes = options.maxBytes ?? null;
  return {
    results: list,
    total_bytes: totalBytes,
    total_cost: totalCost,
    max_bytes: maxBytes,
    over_budget: maxBytes !== null && totalBytes !== null && totalBytes > maxBytes,
  };
}
