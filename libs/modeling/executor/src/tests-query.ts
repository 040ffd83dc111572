import type { Dialect } from '@sp01/modeling-compiler';
import type { TestsQueryArgs } from './adapter.js';

/** The CTE every folded test reads instead of the model: the model is scanned once. */
export const TESTED_MODEL_CTE = '__dbt_tested_model';

/**
 * Folds the data tests of one model into one query: the model is read once into a CTE, each
 * test's failing-rows select reads that CTE, and `union all` returns one row per test
 * (`unique_id`, `failures` = the test's `fail_calc`). Tests without a shared model (`model:
 * null`) are simply unioned, each as written.
 *
 * `materializeModel` asks the planner to compute the CTE once (PostgreSQL's `as materialized`);
 * warehouses that always inline CTEs pass false.
 */
export function foldedTestsQuery(dialect: Dialect, args: TestsQueryArgs, options: { materializeModel: boolean }): string {
  if (args.tests.length === 0) throw new Error('foldedTestsQuery needs at least one test');
  const model = args.model;
  const selects = args.tests.map((test) => {
    // The compiled test names the model by its rendered relation; point it at the CTE.
    const sql = model === null ? test.sql : test.sql.split(model).join(TESTED_MODEL_CTE);
    return `select ${dialect.macros.string_literal(test.unique_id)} as unique_id, ${test.fail_calc} as failures\nfrom (\n${sql.trim()}\n) dbt_internal_test`;
  });
  const body = selects.join('\nunion all\n');
  if (model === null) return body;
  return `with ${TESTED_MODEL_CTE} as ${options.materializeModel ? 'materialized ' : ''}(\n    select * from ${model}\n)\n${body}`;
}
