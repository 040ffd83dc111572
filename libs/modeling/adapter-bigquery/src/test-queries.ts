import type { Dialect } from '@sp01/modeling-compiler';
import type { FreshnessArgs, TestsQueryArgs } from '@sp01/modeling-executor';
import { foldedTestsQuery } from '@sp01/modeling-executor';

/**
 * All data tests of one model in ONE query job: the model is read once through a CTE and
 * each test's failure count comes back on its own row. BigQuery inlines CTEs rather than
 * materialising them, but bills each column of a table once per query however often it is
 * read, so one job per model is also one scan's worth of bytes.
 */
export function testsQuery(dialect: Dialect, args: TestsQueryArgs): string {
  return foldedTestsQuery(dialect, args, { materializeModel: false });
}

/** dbt's `collect_freshness`: the newest load and the time of the check. */
export function freshnessQuery(dialect: Dialect, args: FreshnessArgs): string {
  const where = args.filter ? `\nwhere ${args.filter}` : '';
  return `select\n    max(${args.loaded_at_field}) as max_loaded_at,\n    ${dialect.macros.current_timestamp()} as snapshotted_at\nfrom ${dialect.renderRelation(args.relation)}${where}`;
}
