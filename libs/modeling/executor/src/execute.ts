import { randomUUID } from 'node:crypto';
import type { Logger } from '@sp01/core';
import { silentLogger } from '@sp01/core';
import type {
  GraphNode,
  IndirectSelection,
  ModelNode,
  ProjectGraph,
  SeedNode,
  SnapshotNode,
  Target,
  TestNode,
  UniqueId,
  UnitTestNode,
} from '@sp01/modeling-compiler';
import { createCompiler, ModelingError, selectNodes } from '@sp01/modeling-compiler';
import type { WarehouseAdapter } from './adapter.js';
import { runStoredTest, runTestGroup, storesFailures } from './data-tests.js';
import { incrementalStrategyOf, materializeModel } from './materialize-model.js';
import type { NodeResult, RunResults } from './run-results.js';
import { artifactMetadata, RUN_RESULTS_SCHEMA_VERSION, writeRunResults } from './run-results.js';
import type { RunContext } from './run-context.js';
import { nodeResult, schemaEnsurer } from './run-context.js';
import type { DagJob, SkipReason } from './scheduler.js';
import { runDag } from './scheduler.js';
import { loadSeed } from './seed.js';
import { runSnapshot } from './snapshot.js';
import { runUnitTest } from './unit-tests.js';

/** dbt's commands that touch the warehouse node by node. */
export type RunCommand = 'run' | 'test' | 'build' | 'seed' | 'snapshot';

export interface GraphRunOptions {
  graph: ProjectGraph;
  adapter: WarehouseAdapter;
  command: RunCommand;
  /** `--select` / `--exclude` (dbt grammar); empty selects everything. */
  select?: readonly string[];
  exclude?: readonly string[];
  indirectSelection?: IndirectSelection;
  fullRefresh?: boolean;
  /** Nodes built at the same time (default 1, as dbt's profile default). */
  threads?: number;
  /** Stop starting nodes after the first failure. */
  failFast?: boolean;
  /** `--store-failures`: every test keeps its failing rows (a test's own config wins). */
  storeFailures?: boolean;
  /** Defaults to the target the graph was parsed with. */
  target?: Target;
  vars?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Writes `run_results.json` here when given. */
  targetDir?: string;
  logger?: Logger;
  invocationId?: string;
  /** dbt's `args` block of run_results.json: the invocation as the user typed it. */
  args?: Record<string, unknown>;
  onEvent?: (event: RunEvent) => void;
}

/** Progress, as dbt prints it: `1 of 5 START sql table model …`, then `OK` / `ERROR` / `SKIP`. */
export type RunEvent =
  | { type: 'start'; index: number; total: number; unique_id: UniqueId; description: string }
  | { type: 'end'; index: number; total: number; unique_id: UniqueId; description: string; result: NodeResult };

type Job = DagJob &
  (
    | { kind: 'model'; node: ModelNode }
    | { kind: 'seed'; node: SeedNode }
    | { kind: 'snapshot'; node: SnapshotNode }
    | { kind: 'tests'; tests: TestNode[]; model: string | null }
    | { kind: 'stored_test'; node: TestNode }
    | { kind: 'unit_test'; node: UnitTestNode }
  );

function wanted(node: GraphNode, command: RunCommand): boolean {
  switch (node.resource_type) {
    case 'model':
      return (command === 'run' || command === 'build') && node.config.materialized !== 'ephemeral';
    case 'seed':
      return command === 'seed' || command === 'build';
    case 'snapshot':
      return command === 'snapshot' || command === 'build';
    case 'test':
    case 'unit_test':
      return command === 'test' || command === 'build';
  }
}

/** How dbt names a node in its progress lines. */
export function describeNode(node: GraphNode, relation: string | null): string {
  switch (node.resource_type) {
    case 'model':
      return `sql ${node.config.materialized} model ${relation ?? node.name}`;
    case 'seed':
      return `seed file ${relation ?? node.name}`;
    case 'snapshot':
      return `snapshot ${relation ?? node.name}`;
    case 'test':
      return `test ${node.name}`;
    case 'unit_test':
      return `unit_test ${node.model}::${node.name}`;
  }
}

/**
 * Picks the nodes a command runs and the jobs they form. Every generic data test of one
 * model (not storing failures) joins one job: one query, one scan of the model. The
 * dependencies between jobs follow the DAG through nodes that do not run (ephemeral or
 * unselected models), and in `build` a model's tests and unit tests gate its children.
 */
function planJobs(graph: ProjectGraph, selected: ReadonlySet<UniqueId>, options: GraphRunOptions, relationName: (node: GraphNode | UniqueId) => string | null): Job[] {
  const nodes = graph.order.map((id) => graph.nodes.get(id)).filter((node): node is GraphNode => node !== undefined && selected.has(node.unique_id) && wanted(node, options.command));
  const jobOf = new Map<UniqueId, string>();
  const jobs: Job[] = [];
  const groups = new Map<string, Extract<Job, { kind: 'tests' }>>();
  for (const node of nodes) {
    if (node.resource_type === 'model') jobs.push({ id: node.unique_id, deps: [], kind: 'model', node });
    else if (node.resource_type === 'seed') jobs.push({ id: node.unique_id, deps: [], kind: 'seed', node });
    else if (node.resource_type === 'snapshot') jobs.push({ id: node.unique_id, deps: [], kind: 'snapshot', node });
    else if (node.resource_type === 'unit_test') jobs.push({ id: node.unique_id, deps: [], kind: 'unit_test', node });
    else if (storesFailures(node.config, options.storeFailures ?? false)) jobs.push({ id: node.unique_id, deps: [], kind: 'stored_test', node });
    else if (node.test_type === 'generic') {
      const attached = graph.nodes.get(node.attached_node);
      // Tests on an ephemeral model read its CTE: nothing to share, they run as written.
      const foldable = !(attached?.resource_type === 'model' && attached.config.materialized === 'ephemeral');
      const model = foldable ? relationName(node.attached_node) : null;
      const key = model === null ? node.unique_id : `tests:${node.attached_node}`;
      let group = groups.get(key);
      if (!group) {
        group = { id: key, deps: [], kind: 'tests', tests: [], model };
        groups.set(key, group);
        jobs.push(group);
      }
      group.tests.push(node);
    } else jobs.push({ id: node.unique_id, deps: [], kind: 'tests', tests: [node], model: null });
  }
  for (const job of jobs) {
    if (job.kind === 'tests') for (const test of job.tests) jobOf.set(test.unique_id, job.id);
    else jobOf.set(job.node.unique_id, job.id);
  }

  // The nearest running ancestors of a node, looking through nodes that do not run.
  const memo = new Map<UniqueId, Set<string>>();
  const runningAncestors = (id: UniqueId): Set<string> => {
    const cached = memo.get(id);
    if (cached) return cached;
    const out = new Set<string>();
    memo.set(id, out);
    for (const parent of graph.parent_map.get(id) ?? []) {
      const job = jobOf.get(parent);
      if (job !== undefined) out.add(job);
      else for (const up of runningAncestors(parent)) out.add(up);
    }
    return out;
  };
  const depsOf = new Map<string, Set<string>>();
  for (const job of jobs) {
    const members = job.kind === 'tests' ? job.tests.map((t) => t.unique_id) : job.kind === 'unit_test' ? [] : [job.node.unique_id];
    const deps = new Set<string>();
    for (const member of members) for (const dep of runningAncestors(member)) if (dep !== job.id) deps.add(dep);
    depsOf.set(job.id, deps);
  }

  if (options.command === 'build') {
    // All job-level ancestors of a job, to refuse gates that would close a cycle.
    const ancestorMemo = new Map<string, Set<string>>();
    const ancestors = (id: string): Set<string> => {
      const cached = ancestorMemo.get(id);
      if (cached) return cached;
      const out = new Set<string>();
      ancestorMemo.set(id, out);
      for (const dep of depsOf.get(id) ?? []) {
        out.add(dep);
        for (const up of ancestors(dep)) out.add(up);
      }
      return out;
    };
    const byNode = new Map(jobs.map((job) => [job.id, job]));
    for (const job of jobs) {
      if (job.kind === 'unit_test') {
        // dbt build: a model waits for its unit tests; a failing one skips it.
        const modelJob = [...job.node.depends_on.nodes].map((id) => jobOf.get(id)).find((id) => id !== undefined && byNode.get(id)?.kind === 'model');
        if (modelJob) depsOf.get(modelJob)?.add(job.id);
        continue;
      }
      if (job.kind !== 'tests' && job.kind !== 'stored_test') continue;
      const tests = job.kind === 'tests' ? job.tests : [job.node];
      const tested = new Set(tests.flatMap((t) => t.depends_on.nodes).map((id) => jobOf.get(id)).filter((id): id is string => id !== undefined));
      for (const other of jobs) {
        if (other === job || other.kind === 'tests' || other.kind === 'stored_test' || other.kind === 'unit_test') continue;
        const otherDeps = depsOf.get(other.id) as Set<string>;
        if (![...tested].some((t) => otherDeps.has(t))) continue;
        if (ancestors(job.id).has(other.id)) continue;
        otherDeps.add(job.id);
        ancestorMemo.clear();
      }
    }
  }
  return jobs.map((job) => ({ ...job, deps: [...(depsOf.get(job.id) ?? [])] }));
}

function jobMembers(job: Job): GraphNode[] {
  return job.kind === 'tests' ? job.tests : [job.node];
}

function failedResult(result: NodeResult): boolean {
  return result.status === 'error' || result.status === 'fail';
}

/** Checks, before anything runs, what dbt would reject at the first node: strategies the warehouse lacks. */
function validateSelection(jobs: readonly Job[], adapter: WarehouseAdapter): void {
  for (const job of jobs) {
    if (job.kind !== 'model' || job.node.config.materialized !== 'incremental') continue;
    const strategy = incrementalStrategyOf(job.node, adapter);
    if (!adapter.capabilities.incremental_strategies.includes(strategy)) {
      throw new ModelingError(
        'invalid_config',
        `model '${job.node.name}': incremental_strategy '${strategy}' is not supported on ${adapter.type} (supported: ${adapter.capabilities.incremental_strategies.join(', ')})`,
        { file: job.node.original_file_path, line: 1 },
      );
    }
  }
}

/**
 * Runs a dbt command (`run`, `test`, `build`, `seed`, `snapshot`) over a parsed project on a
 * warehouse adapter, and returns (and, with `targetDir`, writes) dbt's run_results.json.
 *
 * Compile errors of selected nodes and unsupported configs throw a {@link ModelingError}
 * before anything runs; failures while running become `error`/`fail` results.
 */
export async function runGraph(options: GraphRunOptions): Promise<RunResults> {
  const started = Date.now();
  const logger = options.logger ?? silentLogger;
  const invocationId = options.invocationId ?? randomUUID();
  const { graph, adapter } = options;
  const compiler = createCompiler(graph, {
    dialect: adapter.dialect,
    target: options.target,
    vars: options.vars,
    env: options.env,
    invocationId,
    runStartedAt: new Date(started),
    fullRefresh: options.fullRefresh ?? false,
    logger,
  });
  const selected = selectNodes(graph, { select: options.select, exclude: options.exclude, indirectSelection: options.indirectSelection });
  const relationName = (ref: GraphNode | UniqueId): string | null => {
    const node = typeof ref === 'string' ? (graph.nodes.get(ref) ?? graph.sources.get(ref)) : ref;
    if (!node || node.resource_type === 'unit_test') return null;
    if (node.resource_type === 'test' && !storesFailures(node.config, options.storeFailures ?? false)) return null;
    return adapter.dialect.renderRelation(compiler.relationOf(node));
  };
  const jobs = planJobs(graph, selected, options, relationName);
  validateSelection(jobs, adapter);
  // Compile everything once up front: a template error is a compile error (exit 2), found
  // before the warehouse is touched. Incremental models render again once their state is known.
  for (const job of jobs) {
    for (const node of jobMembers(job)) {
      if (node.resource_type === 'unit_test') compiler.compileUnitTest(node.unique_id);
      else compiler.compile(node.unique_id);
    }
  }

  const ctx: RunContext = {
    adapter,
    compiler,
    logger,
    fullRefresh: options.fullRefresh ?? false,
    storeFailures: options.storeFailures ?? false,
    ensureSchema: schemaEnsurer(adapter),
  };
  const total = jobs.reduce((n, job) => n + jobMembers(job).length, 0);
  let index = 0;
  const ordered: NodeResult[] = [];
  const emit = options.onEvent ?? (() => undefined);
  // dbt prints relations unquoted: `analytics_staging.stg_orders`.
  const plainName = (node: GraphNode): string | null => {
    if (node.resource_type === 'test' || node.resource_type === 'unit_test') return null;
    if (node.resource_type === 'model' && node.config.materialized === 'ephemeral') return null;
    const relation = compiler.relationOf(node);
    return [relation.database, relation.schema, relation.identifier].filter(Boolean).join('.');
  };
  const describe = (node: GraphNode) => describeNode(node, plainName(node));

  const run = async (job: Job, threadId: string): Promise<{ result: NodeResult[]; failed: boolean }> => {
    const members = jobMembers(job);
    const numbers = new Map<UniqueId, number>();
    for (const node of members) {
      numbers.set(node.unique_id, ++index);
      emit({ type: 'start', index: numbers.get(node.unique_id) as number, total, unique_id: node.unique_id, description: describe(node) });
    }
    let results: NodeResult[];
    switch (job.kind) {
      case 'model':
        results = [await materializeModel(ctx, job.node, threadId)];
        break;
      case 'seed':
        results = [await loadSeed(ctx, job.node, threadId)];
        break;
      case 'snapshot':
        results = [await runSnapshot(ctx, job.node, threadId)];
        break;
      case 'tests':
        results = await runTestGroup(ctx, job.model, job.tests, threadId);
        break;
      case 'stored_test':
        results = [await runStoredTest(ctx, job.node, threadId)];
        break;
      case 'unit_test':
        results = [await runUnitTest(ctx, job.node, threadId)];
        break;
    }
    for (const result of results) {
      ordered.push(result);
      const node = graph.nodes.get(result.unique_id) as GraphNode;
      emit({ type: 'end', index: numbers.get(result.unique_id) ?? 0, total, unique_id: result.unique_id, description: describe(node), result });
    }
    return { result: results, failed: results.some(failedResult) };
  };

  const skip = (job: Job, reason: SkipReason): NodeResult[] => {
    const message =
      reason.kind === 'fail_fast'
        ? `Skipping due to fail-fast: ${reason.failed} failed`
        : `Skipping because upstream ${reason.failed || 'node'} failed`;
    const results = jobMembers(job).map((node) => nodeResult(null, { unique_id: node.unique_id, status: 'skipped', thread_id: 'main', message }));
    for (const result of results) {
      ordered.push(result);
      const node = graph.nodes.get(result.unique_id) as GraphNode;
      emit({ type: 'end', index: ++index, total, unique_id: result.unique_id, description: describe(node), result });
    }
    return results;
  };

  await runDag(jobs, { threads: options.threads ?? 1, failFast: options.failFast ?? false, run, skip });
  const results: RunResults = {
    metadata: artifactMetadata(RUN_RESULTS_SCHEMA_VERSION, invocationId),
    results: ordered,
    elapsed_time: (Date.now() - started) / 1000,
    args: { which: options.command, ...options.args },
  };
  if (options.targetDir) writeRunResults(options.targetDir, results);
  return results;
}
