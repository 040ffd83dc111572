import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshSchemaPrefix } from '@sp01/vitest-preset/postgres';
import type { GraphRunOptions, NodeResult, RunResults, WarehouseAdapter } from '@sp01/modeling-executor';
import { checkSourceFreshness, dryRunGraph, runGraph, runSucceeded } from '@sp01/modeling-executor';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ShopProject } from './shop-project.js';
import { dropSchemas, loadDay1, loadDay2, loadDay3, shopProject, shopSchemas } from './shop-project.js';

type Run = Omit<GraphRunOptions, 'graph' | 'adapter' | 'target'> & { vars?: Record<string, unknown> };

function statusOf(results: RunResults, name: string): string | undefined {
  return results.results.find((r) => r.unique_id.split('.').slice(0, 3).join('.').endsWith(`.${name}`) || r.unique_id.includes(`.${name}.`) || r.unique_id.endsWith(`.${name}`))?.status;
}

function byId(results: RunResults): Map<string, NodeResult> {
  return new Map(results.results.map((r) => [r.unique_id, r]));
}

/**
 * The execution tests, run once per engine (PGlite in process, PostgreSQL server): each test
 * gets its own schemas (a fresh prefix) on one shared adapter.
 */
export function executionSuite(engine: string, makeAdapter: () => WarehouseAdapter, threads: number): void {
  describe(`executing the shop project on ${engine}`, () => {
    let adapter: WarehouseAdapter;
    let project: ShopProject;

    beforeAll(async () => {
      adapter = makeAdapter();
      await adapter.connect();
    });
    afterAll(async () => {
      await adapter.close();
    });
    afterEach(async () => {
      if (!project) return;
      await dropSchemas(adapter, shopSchemas(project.prefix));
      project.remove();
    });

    async function fresh(): Promise<ShopProject> {
      project = shopProject(freshSchemaPrefix());
      await loadDay1(adapter, project.raw);
      return project;
    }

    function run(options: Run): Promise<RunResults> {
      const graph = project.parse(options.vars);
      return runGraph({ threads, ...options, graph, adapter, target: project.target });
    }

    const table = (schema: string, name: string, order: string) => adapter.query(`select * from "${project.target.schema}${schema}"."${name}" order by ${order}`);

    it('builds every materialization and reruns incrementals over three days (merge, delete+insert, append)', async () => {
      await fresh();
      const day1 = await run({ command: 'build', exclude: ['tag:failing'] });
      expect(day1.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
      // The ephemeral model never runs: it is a CTE inside customers.
      expect(day1.results.some((r) => r.unique_id === 'model.shop.int_order_totals')).toBe(false);
      expect(byId(day1).get('model.shop.customers')?.compiled_code).toContain('__dbt__cte__int_order_totals');
      expect(await table('', 'orders_merge', 'order_id')).toEqual([
        { order_id: 100, customer_id: 1, order_date: '2024-01-01', status: 'placed', amount: '10.00' },
        { order_id: 101, customer_id: 2, order_date: '2024-01-01', status: 'placed', amount: '20.00' },
        { order_id: 102, customer_id: 1, order_date: '2024-01-01', status: 'shipped', amount: '5.50' },
      ]);
      expect(await adapter.query(`select relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '${project.target.schema}_staging' and relname = 'stg_orders'`)).toEqual([{ kind: 'v' }]);

      await loadDay2(adapter, project.raw);
      const day2 = await run({ command: 'build', exclude: ['tag:failing'] });
      expect(runSucceeded(day2)).toBe(true);
      expect(byId(day2).get('model.shop.orders_merge')?.adapter_response).toMatchObject({ code: 'MERGE', rows_affected: 5 });
      expect(byId(day2).get('model.shop.events_append')?.adapter_response).toMatchObject({ code: 'INSERT', rows_affected: 1 });

      await loadDay3(adapter, project.raw);
      const day3 = await run({ command: 'run', select: ['config.materialized:incremental'] });
      expect(day3.results.map((r) => [r.unique_id, r.status]).sort()).toEqual([
        ['model.shop.events_append', 'success'],
        ['model.shop.orders_daily', 'success'],
        ['model.shop.orders_merge', 'success'],
      ]);
      // merge: the day-1 order returned on day 2 and the day-2 amount fixed on day 3 are updated in place.
      expect((await table('', 'orders_merge', 'order_id')).map((r) => [r['order_id'], r['status'], r['amount']])).toEqual([
        [100, 'placed', '10.00'],
        [101, 'placed', '20.00'],
        [102, 'returned', '5.50'],
        [103, 'placed', '7.00'],
        [104, 'placed', '2.00'],
        [105, 'placed', '3.00'],
      ]);
      // delete+insert on (order_date, customer_id): day 2 and day 3 recomputed, day 1 untouched.
      expect((await table('', 'orders_daily', 'order_date, customer_id')).map((r) => [r['order_date'], r['customer_id'], r['orders'], r['amount']])).toEqual([
        ['2024-01-01', 1, 2, '15.50'],
        ['2024-01-01', 2, 1, '20.00'],
        ['2024-01-02', 1, 1, '2.00'],
        ['2024-01-02', 2, 1, '7.00'],
        ['2024-01-03', 2, 1, '3.00'],
      ]);
      // append: only the rows past the watermark, never rewritten.
      expect((await table('', 'events_append', 'event_id')).map((r) => r['event_id'])).toEqual([1, 2, 3]);
    });

    it('applies on_schema_change: append_new_columns adds the column, fail stops, --full-refresh rebuilds', async () => {
      await fresh();
      await run({ command: 'run', select: ['+orders_merge', '+events_append'] });
      const changed = await run({ command: 'run', select: ['orders_merge', 'events_append'], vars: { with_channel: true } });
      expect(statusOf(changed, 'orders_merge')).toBe('success');
      const appended = byId(changed).get('model.shop.events_append');
      expect(appended?.status).toBe('error');
      expect(appended?.message).toContain('The source and target schemas on this incremental model are out of sync!');
      expect(appended?.message).toContain('Source columns not in target: [channel]');
      const merged = await table('', 'orders_merge', 'order_id');
      expect(Object.keys(merged[0] ?? {})).toEqual(['order_id', 'customer_id', 'order_date', 'status', 'amount', 'channel']);
      // Rows the incremental select re-read got the new column; older ones keep null, as in dbt.
      expect(merged.map((r) => r['channel'])).toEqual(['web', 'web', 'web']);

      const refreshed = await run({ command: 'run', select: ['events_append'], vars: { with_channel: true }, fullRefresh: true });
      expect(statusOf(refreshed, 'events_append')).toBe('success');
      expect(Object.keys((await table('', 'events_append', 'event_id'))[0] ?? {})).toContain('channel');
    });

    it('keeps dbt snapshot history over three runs for each hard_deletes mode', async () => {
      await fresh();
      const snap = () => run({ command: 'snapshot' });
      expect(runSucceeded(await snap())).toBe(true);
      await loadDay2(adapter, project.raw);
      expect(runSucceeded(await snap())).toBe(true);
      await loadDay3(adapter, project.raw);
      expect(runSucceeded(await snap())).toBe(true);
      const history = (name: string) => table('_snapshots', name, 'id, dbt_valid_from, dbt_updated_at');
      const current = (rows: Record<string, unknown>[]) => rows.filter((r) => r['dbt_valid_to'] === null);

      const ignore = await history('customers_snapshot_ignore');
      expect(Object.keys(ignore[0] ?? {})).toEqual(['id', 'name', 'tier', 'updated_at', 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to']);
      expect(ignore.map((r) => [r['id'], r['name'], r['tier'], r['dbt_valid_from'], r['dbt_valid_to']])).toEqual([
        [1, 'Ada', 'gold', '2024-01-01 09:00:00', '2024-01-03 09:00:00'],
        [1, 'Ada L.', 'gold', '2024-01-03 09:00:00', null],
        [2, 'Alan', 'silver', '2024-01-01 09:00:00', '2024-01-02 09:00:00'],
        [2, 'Alan', 'gold', '2024-01-02 09:00:00', null],
        // ignore: Grace's deletion on day 2 leaves her current; her return on day 3 is a change.
        [3, 'Grace', 'bronze', '2024-01-01 09:00:00', '2024-01-03 09:00:00'],
        [3, 'Grace', 'bronze', '2024-01-03 09:00:00', null],
      ]);
      expect(new Set(ignore.map((r) => r['dbt_scd_id'])).size).toBe(6);

      const invalidate = await history('customers_snapshot_invalidate');
      expect(invalidate).toHaveLength(6);
      expect(current(invalidate).map((r) => [r['id'], r['name'], r['tier']])).toEqual([
        [1, 'Ada L.', 'gold'],
        [2, 'Alan', 'gold'],
        [3, 'Grace', 'bronze'],
      ]);
      // invalidate: the day-2 deletion closed Grace's first version at the snapshot time.
      const graceFirst = invalidate.find((r) => r['id'] === 3 && r['dbt_valid_to'] !== null);
      expect(graceFirst?.['dbt_valid_to']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

      const newRecord = await history('customers_snapshot_new_record');
      expect(Object.keys(newRecord[0] ?? {})).toContain('dbt_is_deleted');
      expect(newRecord.filter((r) => r['id'] === 3).map((r) => [r['updated_at'], r['dbt_is_deleted'], r['dbt_valid_to'] === null])).toEqual([
        ['2024-01-01 09:00:00', 'False', false],
        ['2024-01-03 09:00:00', 'False', true],
        ['2024-01-01 09:00:00', 'True', false],
      ]);
      expect(newRecord).toHaveLength(7);
      expect(current(newRecord).every((r) => r['dbt_is_deleted'] === 'False')).toBe(true);
    });

    it('never leaves a table missing or half-built when its rebuild fails (atomic swap)', async () => {
      await fresh();
      await run({ command: 'run', select: ['+customers'] });
      const before = await table('', 'customers', 'customer_id');
      expect(before).toHaveLength(3);
      const broken = await run({ command: 'run', select: ['customers+'], vars: { break_customers: true } });
      expect(byId(broken).get('model.shop.customers')).toMatchObject({ status: 'error', message: expect.stringContaining('division by zero') });
      expect(byId(broken).get('model.shop.customer_tiers')).toMatchObject({ status: 'skipped', message: expect.stringContaining('model.shop.customers') });
      expect(await table('', 'customers', 'customer_id')).toEqual(before);
      const leftovers = await adapter.query(`select relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '${project.target.schema}' and relname like 'customers__dbt%'`);
      expect(leftovers).toEqual([]);
    });

    it('selects like dbt: +model, tag:, path:, --exclude', async () => {
      await fresh();
      const ids = (results: RunResults) => results.results.map((r) => r.unique_id).sort();
      expect(ids(await run({ command: 'run', select: ['+customers'] }))).toEqual(['model.shop.customers', 'model.shop.stg_customers', 'model.shop.stg_orders']);
      expect(ids(await run({ command: 'run', select: ['tag:staging'] }))).toEqual(['model.shop.stg_customers', 'model.shop.stg_orders']);
      expect(ids(await run({ command: 'run', select: ['path:models/marts'], exclude: ['config.materialized:incremental', 'tag:tiers'] }))).toEqual(['model.shop.customers']);
      expect(ids(await run({ command: 'run', select: ['stg_customers+'], exclude: ['customer_tiers'] }))).toEqual(['model.shop.customers', 'model.shop.stg_customers']);
    });

    it('runs all column tests of a model in one query, with warn and error severities and stored failures', async () => {
      await fresh();
      await run({ command: 'run' });
      await adapter.execute(`
        insert into "${project.raw}".customers values (4, 'Linus', 'platinum', '2024-01-01', now());
        insert into "${project.raw}".orders values
          (200, 1, '2024-01-01', 'lost', 1.00, now()),
          (201, 1, '2024-01-01', 'lost', 2.00, now()),
          (202, 2, '2024-01-01', 'returned', null, now()),
          (203, 2, '2024-01-01', 'placed', null, now());
      `);
      const tested = await run({ command: 'test', select: ['stg_orders', 'stg_customers'] });
      const results = byId(tested);
      const find = (prefix: string) => [...results.values()].find((r) => r.unique_id.startsWith(prefix));
      expect(find('test.shop.accepted_values_stg_customers_tier')).toMatchObject({ status: 'warn', failures: 1, message: 'Got 1 result, configured to warn if != 0' });
      expect(find('test.shop.accepted_values_stg_orders_status')).toMatchObject({ status: 'fail', failures: 1, message: 'Got 1 result, configured to fail if != 0' });
      // `where status <> 'returned'` leaves out the returned order with no amount.
      expect(find('test.shop.not_null_stg_orders_amount')).toMatchObject({ status: 'fail', failures: 1 });
      expect(find('test.shop.unique_stg_orders_order_id')).toMatchObject({ status: 'pass', failures: 0 });
      expect(runSucceeded(tested)).toBe(false);
      // The folded tests of one model share one query: they report the same adapter response.
      const grouped = [...results.values()].filter((r) => r.unique_id.includes('stg_orders') && !r.unique_id.includes('accepted_values'));
      expect(grouped.length).toBe(4);
      expect(new Set(grouped.map((r) => r.thread_id)).size).toBe(1);
      expect(grouped.every((r) => r.adapter_response.rows_affected === 4)).toBe(true);
      const stored = await adapter.query(`select * from "${project.target.schema}_dbt_test__audit"."accepted_values_stg_orders_status__placed__shipped__returned"`);
      expect(stored).toEqual([{ value_field: 'lost', n_records: 2 }]);
      expect(find('test.shop.accepted_values_stg_orders_status')?.relation_name).toBe(`"${project.target.schema}_dbt_test__audit"."accepted_values_stg_orders_status__placed__shipped__returned"`);

      // build: a failing error-severity test stops its model's children; a warning does not.
      const built = byId(await run({ command: 'build', select: ['stg_orders+', 'stg_customers+'], exclude: ['tag:failing'] }));
      expect(built.get('model.shop.orders_merge')?.status).toBe('skipped');
      expect(built.get('model.shop.customers')?.status).toBe('skipped');
      expect(built.get('model.shop.stg_customers')?.status).toBe('success');
    });

    it('evaluates warn_if / error_if on a singular test', async () => {
      await fresh();
      await run({ command: 'run', select: ['+customers'] });
      const negative = (n: number) =>
        adapter.execute(
          `insert into "${project.raw}".orders select 300 + g, 1 + g, '2024-01-01', 'placed', -100, now() from generate_series(0, ${n - 1}) g`,
        );
      await negative(2);
      await run({ command: 'run', select: ['customers'] });
      expect(statusOf(await run({ command: 'test', select: ['assert_revenue_not_negative'] }), 'assert_revenue_not_negative')).toBe('warn');
      await adapter.execute(`insert into "${project.raw}".orders values (399, 3, '2024-01-01', 'placed', -100, now())`);
      await run({ command: 'run', select: ['customers'] });
      const failed = await run({ command: 'test', select: ['assert_revenue_not_negative'] });
      expect(failed.results[0]).toMatchObject({ status: 'fail', failures: 3, message: 'Got 3 results, configured to fail if >2' });
    });

    it('runs unit tests from given rows without upstream tables, and a failing one stops its model in build', async () => {
      project = shopProject(freshSchemaPrefix());
      // No raw tables, no staging views: unit tests read only their fixtures.
      const passed = await run({ command: 'test', select: ['customers_adds_up_orders'] });
      expect(passed.results).toHaveLength(1);
      expect(passed.results[0]).toMatchObject({ unique_id: 'unit_test.shop.customers.customers_adds_up_orders', status: 'pass', failures: 0 });
      const failed = await run({ command: 'test', select: ['customers_wrong_on_purpose'] });
      expect(failed.results[0]).toMatchObject({ status: 'fail', failures: 2 });
      expect(failed.results[0]?.message).toContain('| customer_id | orders');

      await loadDay1(adapter, project.raw);
      const built = byId(await run({ command: 'build', select: ['+customers'] }));
      expect(built.get('unit_test.shop.customers.customers_wrong_on_purpose')?.status).toBe('fail');
      expect(built.get('model.shop.customers')?.status).toBe('skipped');
      expect(built.get('model.shop.stg_customers')?.status).toBe('success');
    });

    it('loads seeds with column_types and inferred types, and reloads them', async () => {
      await fresh();
      const first = await run({ command: 'seed' });
      // Results come in completion order; both seeds load side by side.
      expect(first.results.map((r) => [r.unique_id, r.status, r.adapter_response.rows_affected]).sort()).toEqual([
        ['seed.shop.countries', 'success', 3],
        ['seed.shop.payment_methods', 'success', 3],
      ]);
      const types = await adapter.query(
        `select table_name::text as t, column_name::text as c, data_type::text as d, character_maximum_length as len from information_schema.columns where table_schema = '${project.target.schema}_seeds' order by table_name, ordinal_position`,
      );
      expect(types.map((r) => [r['t'], r['c'], r['d'], r['len']])).toEqual([
        ['countries', 'code', 'character varying', 2],
        ['countries', 'name', 'text', null],
        ['countries', 'population', 'bigint', null],
        ['payment_methods', 'id', 'integer', null],
        ['payment_methods', 'name', 'text', null],
        ['payment_methods', 'active', 'boolean', null],
        ['payment_methods', 'added_on', 'date', null],
        ['payment_methods', 'fee', 'double precision', null], // dbt-postgres infers float8
      ]);
      expect(await table('_seeds', 'countries', 'code')).toEqual([
        { code: 'JP', name: 'Japan', population: 124500000 },
        { code: 'NZ', name: 'New Zealand, Aotearoa', population: 5200000 },
        { code: 'TW', name: 'Taiwan', population: 23400000 },
      ]);
      expect((await table('_seeds', 'payment_methods', 'id')).map((r) => r['added_on'])).toEqual(['2024-01-01', '2023-06-30', null]);
      const again = await run({ command: 'seed', fullRefresh: true });
      expect(runSucceeded(again)).toBe(true);
      expect(await table('_seeds', 'countries', 'code')).toHaveLength(3);
    });

    it('checks source freshness: pass, warn and error, and writes sources.json', async () => {
      await fresh();
      const dir = mkdtempSync(join(tmpdir(), 'modeling-freshness-'));
      try {
        const check = () => checkSourceFreshness({ graph: project.parse(), adapter, target: project.target, targetDir: dir });
        const fresh1 = await check();
        expect(fresh1.results.map((r) => [r.unique_id, r.status])).toEqual([
          ['source.shop.raw.customers', 'pass'],
          ['source.shop.raw.orders', 'pass'],
        ]);
        await adapter.execute(`update "${project.raw}".customers set loaded_at = now() - interval '13 hours'; update "${project.raw}".orders set loaded_at = now() - interval '1 day'`);
        expect((await check()).results.map((r) => r.status)).toEqual(['warn', 'pass']);
        await adapter.execute(`update "${project.raw}".customers set loaded_at = now() - interval '25 hours'; update "${project.raw}".orders set loaded_at = now() - interval '3 days'`);
        const stale = await check();
        expect(stale.results.map((r) => r.status)).toEqual(['error', 'warn']);
        expect(stale.results[0]?.max_loaded_at_time_ago_in_s).toBeGreaterThan(25 * 3600 - 60);
        expect(stale.results[0]?.criteria).toEqual({ warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' }, filter: null });
        const written = JSON.parse(readFileSync(join(dir, 'sources.json'), 'utf8'));
        expect(written.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
        expect(written.results).toHaveLength(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('writes run_results.json in dbt shape, and --fail-fast skips what has not started', async () => {
      await fresh();
      const dir = mkdtempSync(join(tmpdir(), 'modeling-results-'));
      try {
        await run({ command: 'run', targetDir: dir, args: { select: ['tag:staging'] }, select: ['tag:staging'] });
        expect(existsSync(join(dir, 'run_results.json'))).toBe(true);
        const written = JSON.parse(readFileSync(join(dir, 'run_results.json'), 'utf8'));
        expect(Object.keys(written)).toEqual(['metadata', 'results', 'elapsed_time', 'args']);
        expect(written.metadata).toMatchObject({ dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json', dbt_version: expect.any(String), invocation_id: expect.any(String) });
        expect(written.args).toEqual({ which: 'run', select: ['tag:staging'] });
        const entry = written.results[0];
        expect(Object.keys(entry).sort()).toEqual(
          ['adapter_response', 'batch_results', 'compiled', 'compiled_code', 'execution_time', 'failures', 'message', 'relation_name', 'status', 'thread_id', 'timing', 'unique_id'].sort(),
        );
        expect(entry.timing.map((t: { name: string }) => t.name)).toEqual(['compile', 'execute']);
        expect(entry.adapter_response).toMatchObject({ _message: expect.any(String), code: 'CREATE' });

        const stopped = await run({ command: 'run', threads: 1, failFast: true, vars: { break_customers: true }, select: ['customers', 'customer_tiers', 'orders_merge', 'events_append'] });
        const statuses = stopped.results.map((r) => r.status);
        expect(statuses).toContain('error');
        expect(stopped.results.filter((r) => r.message?.startsWith('Skipping due to fail-fast'))).not.toHaveLength(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('dry-runs with EXPLAIN: nothing is created', async () => {
      await fresh();
      await run({ command: 'run', select: ['tag:staging'] });
      const report = await dryRunGraph({ graph: project.parse(), adapter, target: project.target, command: 'run', select: ['customers', 'stg_orders'] });
      expect(report.results.map((r) => [r.unique_id, r.ok])).toEqual([
        ['model.shop.stg_orders', true],
        ['model.shop.customers', true],
      ]);
      expect(report.results[0]?.plan).toMatch(/Scan/);
      expect(report.results[0]?.estimated_cost).toBeGreaterThan(0);
      expect(report.total_bytes).toBeNull();
      expect(report.over_budget).toBe(false);
      expect(await adapter.query(`select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = '${project.target.schema}' and relname = 'customers'`)).toEqual([]);
    });
  });
}
