import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describePostgres } from '@sp01/vitest-preset/postgres';
import { afterAll, expect, it } from 'vitest';
import { withClient } from './databases.js';
import { runOracle, type OracleOptions } from './oracle.js';
import { formatReport } from './report.js';
import { venvTool } from './__fixtures__/venv.js';

const workspace = resolve(import.meta.dirname, '../../..');
const models = join(workspace, 'apps/models/dist/main.js');
const sql = (file: string) => (url: string) => withClient(url, (client) => client.query(readFileSync(file, 'utf8')).then(() => undefined));

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture project with its `__RAW__` placeholder named. */
function withRawSchema(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'oracle-fixture-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true });
  for (const entry of readdirSync(copy, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(yml|sql)$/.test(entry)) continue;
    const path = join(copy, entry);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('__RAW__', 'raw'));
  }
  return copy;
}

const shopDays = join(workspace, 'libs/modeling/adapter-postgres/src/__fixtures__/shop-days');
const shopDay = (day: number) => (url: string) =>
  withClient(url, (client) => client.query(readFileSync(join(shopDays, `day${day}.sql`), 'utf8').replaceAll('__RAW__', 'raw')).then(() => undefined));

// The model builder's own fixture projects, each built by dbt-core and by SP01: they must
// leave the same tables, the same manifest nodes and the same test verdicts.
const PROJECTS: [string, () => Pick<OracleOptions, 'projectDir' | 'prepare' | 'increments' | 'ignoreColumns'>][] = [
  ['mini', () => ({ projectDir: join(workspace, 'apps/models/src/__fixtures__/mini') })],
  [
    'shop',
    () => ({
      projectDir: withRawSchema(join(workspace, 'libs/modeling/adapter-postgres/src/__fixtures__/shop')),
      prepare: shopDay(1),
      increments: [shopDay(2), shopDay(3)],
      // Days 2 and 3 stamp raw rows with now() on each database.
      ignoreColumns: ['loaded_at'],
    }),
  ],
  [
    'jaffle',
    () => ({
      projectDir: join(workspace, 'libs/modeling/compiler/src/__fixtures__/jaffle'),
      prepare: sql(join(import.meta.dirname, '__fixtures__/jaffle-raw.sql')),
      ignoreColumns: ['_transformed_at'],
    }),
  ],
];

/**
 * Every difference between the two builds, as `formatReport` prints it: a line here is a
 * known divergence of SP01 from dbt-core, with its cause, to be fixed (then removed here).
 * A difference not listed fails the suite, and so does a listed one that went away.
 */
const KNOWN: Record<string, string[]> = {
  mini: [],
  // dbt-core reads the columns of every `given` relation from the database before a unit
  // test runs ("Not able to get columns for unit test … because the relation doesn't
  // exist"): an ephemeral input, or `this` on a first build, is an error there, and dbt
  // build then skips the model and everything downstream. SP01 fills such inputs from the
  // fixture rows alone (issue 15, item 10).
  shop: [
    "status unit_test.shop.customers.customers_adds_up_orders: dbt-core error, SP01 pass",
  ],
  jaffle: [
    "analytics_dbt_test__audit.accepted_values_customer_overview_tier__True__gold__silver__bro table — 0 — — EXTRA in SP01",
    "analytics_dbt_test__audit.not_null_orders_order_id table — 0 — — EXTRA in SP01",
    "analytics_dbt_test__audit.unique_customers_customer_id table — 0 — — EXTRA in SP01",
    "analytics_dbt_test__audit.unique_orders_order_id table — 0 — — EXTRA in SP01",
    "analytics_marts.customer_overview_v view — 3 — — EXTRA in SP01",
    "analytics_marts.customers view — 3 — — EXTRA in SP01",
    "analytics_marts.order_status_counts table — 4 — — EXTRA in SP01",
    "analytics_marts.orders table — 4 — — EXTRA in SP01",
    "status model.jaffle.customer_overview: dbt-core skipped, SP01 success",
    "status model.jaffle.customers: dbt-core skipped, SP01 success",
    "status model.jaffle.order_status_counts: dbt-core skipped, SP01 success",
    "status model.jaffle.orders: dbt-core skipped, SP01 success",
    "status test.jaffle.accepted_values_customer_overview_tier__True__gold__silver__bronze.a337cbf73a: dbt-core skipped, SP01 pass",
    "status test.jaffle.assert_order_amount_not_negative: dbt-core skipped, SP01 pass",
    "status test.jaffle.not_null_customers_customer_id.5c9bf9911d: dbt-core skipped, SP01 pass",
    "status test.jaffle.not_null_orders_order_id.cf6c17daed: dbt-core skipped, SP01 pass",
    "status test.jaffle.unique_customers_customer_id.c5af1ff4b1: dbt-core skipped, SP01 pass",
    "status test.jaffle.unique_orders_order_id.fed79b3a6e: dbt-core skipped, SP01 pass",
    "status unit_test.jaffle.customers.customers_sum_lifetime_value: dbt-core skipped, SP01 pass",
    "status unit_test.jaffle.orders.orders_incremental_only_new: dbt-core error, SP01 pass",
    "exit codes differ: dbt-core 1, SP01 0",
  ],
};

/**
 * dbt-core runs the two unit tests of shop's `customers` side by side: whichever starts first
 * errors on the missing ephemeral relation and the other is skipped (or fails on its own wrong
 * expectation), so the pair's dbt-core statuses depend on its thread scheduling.
 */
const SCHEDULING = [
  /^status unit_test\.shop\.customers\.customers_adds_up_orders: dbt-core (error|skipped), SP01 pass$/,
  /^status unit_test\.shop\.customers\.customers_wrong_on_purpose: dbt-core (error|skipped), SP01 fail$/,
];

describePostgres('dbt-core and SP01 build the same', (serverUrl) => {
  const dbt = venvTool('dbt', 'dbt');
  it.each(PROJECTS)('%s', async (name, project) => {
    const report = await runOracle({ ...project(), serverUrl, name: `oracle_e2e_${name}`, schema: 'analytics', dbt, models });
    const text = formatReport(report);
    console.log(text);
    expect(report.relations.length, text).toBeGreaterThan(0);
    expect(differences(text).filter((line) => !SCHEDULING.some((pattern) => pattern.test(line))), text).toEqual(
      (KNOWN[name] ?? []).filter((line) => !SCHEDULING.some((pattern) => pattern.test(line))),
    );
    for (const line of KNOWN[name] ?? []) {
      if (SCHEDULING.some((pattern) => pattern.test(line))) expect(differences(text).some((got) => SCHEDULING.some((p) => p.test(got))), text).toBe(true);
    }
  });
});

/** The lines of a report that name a difference. */
function differences(report: string): string[] {
  return report
    .split('\n')
    .filter((line) => /^ {2}(column|node only|status|exit codes)/.test(line) || / (DIFFERENT|MISSING in SP01|EXTRA in SP01)$/.test(line))
    .map((line) => line.trim().replace(/\s+/g, ' '));
}
