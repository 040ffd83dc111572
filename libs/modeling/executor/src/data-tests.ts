import type { CompiledNode, TestConfig, TestNode } from '@sp01/modeling-compiler';
import type { AdapterSession, TestQueryItem } from './adapter.js';
import type { NodeResult, NodeStatus } from './run-results.js';
import type { RunContext } from './run-context.js';
import { NodeClock, nodeResult, responseForResults } from './run-context.js';
import { errorText } from './materialize-model.js';

const CONDITION = /^\s*(==|=|!=|<>|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Evaluates dbt's `warn_if` / `error_if` (`!=0`, `>10`, `>=5`…) against a failure count. */
export function meetsCondition(failures: number, condition: string): boolean {
  const match = CONDITION.exec(condition);
  if (!match) throw new Error(`cannot read the test condition '${condition}': write an operator and a number, e.g. '>10' or '!=0'`);
  const limit = Number(match[2]);
  switch (match[1]) {
    case '=':
    case '==':
      return failures === limit;
    case '!=':
    case '<>':
      return failures !== limit;
    case '>=':
      return failures >= limit;
    case '<=':
      return failures <= limit;
    case '>':
      return failures > limit;
    default:
      return failures < limit;
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** dbt's test status: `fail` needs severity error and error_if met; else warn_if decides warn or pass. */
export function testOutcome(config: Pick<TestConfig, 'severity' | 'warn_if' | 'error_if'>, failures: number): { status: NodeStatus; message: string | null } {
  if (config.severity === 'error' && meetsCondition(failures, config.error_if)) {
    return { status: 'fail', message: `Got ${plural(failures, 'result')}, configured to fail if ${config.error_if}` };
  }
  if (meetsCondition(failures, config.warn_if)) {
    return { status: 'warn', message: `Got ${plural(failures, 'result')}, configured to warn if ${config.warn_if}` };
  }
  return { status: 'pass', message: null };
}

/** Whether a test keeps its failing rows in a table (dbt: `store_failures_as` wins, then `store_failures`, then the flag). */
export function storesFailures(config: TestConfig, flag: boolean): boolean {
  if (config.store_failures_as === 'table' || config.store_failures_as === 'view') return true;
  return config.store_failures ?? flag;
}

function testSql(compiled: CompiledNode): string {
  const limit = (compiled.node as TestNode).config.limit;
  return limit === null ? compiled.compiled_code : `${compiled.compiled_code}\nlimit ${limit}`;
}

function failureCount(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const count = Number(value);
  if (!Number.isFinite(count)) throw new Error(`fail_calc returned ${JSON.stringify(value)}, not a number`);
  return count;
}

interface Compiled {
  test: TestNode;
  compiled: CompiledNode;
}

/** One query for a set of tests; resolves each test's failure count (or the query's error). */
async function countFailures(ctx: RunContext, session: AdapterSession, model: string | null, tests: readonly Compiled[], label: string) {
  const items: TestQueryItem[] = tests.map(({ test, compiled }) => ({ unique_id: test.unique_id, sql: testSql(compiled), fail_calc: test.config.fail_calc }));
  const result = await session.execute<{ unique_id: string; failures: unknown }>(ctx.adapter.testsQuery({ model, tests: items }), { label });
  const counts = new Map<string, number>();
  for (const row of result.rows) counts.set(row.unique_id, failureCount(row.failures));
  return { counts, response: result.response };
}

/**
 * Runs the data tests of one model as ONE query (one scan of the model, each test's failure
 * count reported on its own row). If that query fails, each test is retried alone so the
 * error lands on the test that caused it.
 */
export async function runTestGroup(ctx: RunContext, model: string | null, tests: readonly TestNode[], threadId: string): Promise<NodeResult[]> {
  const clock = new NodeClock();
  const compiled: Compiled[] = [];
  const errors: NodeResult[] = [];
  for (const test of tests) {
    try {
      compiled.push({ test, compiled: ctx.compiler.compile(test.unique_id) });
    } catch (err) {
      errors.push(nodeResult(clock, { unique_id: test.unique_id, status: 'error', thread_id: threadId, message: errorText(err) }));
    }
  }
  clock.compiled();
  if (compiled.length === 0) return errors;
  return ctx.adapter.withSession(async (session) => {
    const label = compiled.length === 1 ? (compiled[0] as Compiled).test.unique_id : `tests:${model ?? 'singular'}`;
    try {
      const { counts, response } = await countFailures(ctx, session, model, compiled, label);
      return [...errors, ...compiled.map((item) => judged(clock, item, counts.get(item.test.unique_id) ?? 0, threadId, responseForResults(response)))];
    } catch (err) {
      if (compiled.length === 1) return [...errors, failedTest(clock, compiled[0] as Compiled, err, threadId)];
      ctx.logger.debug('folded test query failed; running the tests one by one', { model, error: errorText(err) });
      const results = [...errors];
      for (const item of compiled) {
        try {
          const { counts, response } = await countFailures(ctx, session, null, [item], item.test.unique_id);
          results.push(judged(clock, item, counts.get(item.test.unique_id) ?? 0, threadId, responseForResults(response)));
        } catch (single) {
          results.push(failedTest(clock, item, single, threadId));
        }
      }
      return results;
    }
  });
}

function judged(clock: NodeClock, item: Compiled, failures: number, threadId: string, response: NodeResult['adapter_response']): NodeResult {
  try {
    const outcome = testOutcome(item.test.config, failures);
    return nodeResult(clock, {
      unique_id: item.test.unique_id,
      status: outcome.status,
      thread_id: threadId,
      message: outcome.message,
      failures,
      adapter_response: response,
      compiled_code: item.compiled.compiled_code,
      relation_name: item.compiled.relation_name,
    });
  } catch (err) {
    return failedTest(clock, item, err, threadId);
  }
}

function failedTest(clock: NodeClock, item: Compiled, err: unknown, threadId: string): NodeResult {
  return nodeResult(clock, {
    unique_id: item.test.unique_id,
    status: 'error',
    thread_id: threadId,
    message: errorText(err),
    compiled_code: item.compiled.compiled_code,
    relation_name: item.compiled.relation_name,
  });
}

/**
 * A test with `store_failures`: its failing rows replace the table (or view) in
 * `<schema>_dbt_test__audit`, then the failures are counted from there.
 */
export async function runStoredTest(ctx: RunContext, test: TestNode, threadId: string): Promise<NodeResult> {
  const clock = new NodeClock();
  const { adapter } = ctx;
  let item: Compiled | null = null;
  try {
    const compiled = ctx.compiler.compile(test.unique_id);
    item = { test, compiled };
    clock.compiled();
    const relation = compiled.relation ?? ctx.compiler.relationOf(test);
    const relationName = adapter.dialect.renderRelation(relation);
    await ctx.ensureSchema(relation);
    const stored = item;
    return await adapter.withSession(async (session) => {
      const existing = await session.getRelation(relation);
      const args = { relation, existing, sql: testSql(compiled), config: {} };
      const plan = test.config.store_failures_as === 'view' ? adapter.viewPlan(args) : adapter.tablePlan(args);
      await session.runPlan(plan, { label: test.unique_id });
      const counted: Compiled = { test, compiled: { ...compiled, compiled_code: `select * from ${relationName}`, relation_name: relationName } };
      const { counts, response } = await countFailures(ctx, session, null, [counted], test.unique_id);
      const result = judged(clock, stored, counts.get(test.unique_id) ?? 0, threadId, responseForResults(response));
      return { ...result, relation_name: relationName };
    });
  } catch (err) {
    if (item) return failedTest(clock, item, err, threadId);
    return nodeResult(clock, { unique_id: test.unique_id, status: 'error', thread_id: threadId, message: errorText(err) });
  }
}
