import { describe, expect, it } from 'vitest';
import type { IncrementalArgs, SqlPlan } from '@sp01/modeling-executor';
import { batchScript } from './bigquery-adapter.js';
import { expectGolden } from './__fixtures__/golden.js';
import {
  BY_HOUR,
  BY_TOP_UP_DATE,
  dialect,
  EVENT_COLUMNS,
  EVENTS,
  EVENTS_SQL,
  existingTable,
  ORDER_COLUMNS,
  ORDERS,
  ORDERS_CONFIG,
  ORDERS_LAYOUT,
  ORDERS_SQL,
  relation,
  snapshotConfig,
  TOP_UP_COLUMNS,
  TOP_UPS_BY_DAY,
  TOP_UPS_SQL,
} from './__fixtures__/nodes.js';
import { incrementalPlan, schemaChangePlan, tablePlan, viewPlan } from './model-plans.js';
import { seedPlan } from './seed-load.js';
import { snapshotPlan } from './snapshot-plan.js';
import { freshnessQuery, testsQuery } from './test-queries.js';

/** A plan as the jobs it becomes: one script per batch, in order. */
function jobsOf(plan: SqlPlan): string {
  return `${plan.map((batch, i) => `-- job ${i + 1} of ${plan.length}${batch.atomic ? ' (atomic)' : ''}\n${batchScript(batch)}`).join('\n\n')}\n`;
}

const merge = (overrides: Partial<IncrementalArgs> = {}): IncrementalArgs => ({
  relation: ORDERS,
  existing: existingTable(ORDERS, ORDERS_LAYOUT),
  sql: ORDERS_SQL,
  strategy: 'merge',
  unique_key: ['order_id'],
  incremental_predicates: ['DBT_INTERNAL_DEST.order_date >= date_sub(current_date(), interval 7 day)'],
  columns: ORDER_COLUMNS,
  config: ORDERS_CONFIG,
  ...overrides,
});

const overwrite = (overrides: Partial<IncrementalArgs> = {}): IncrementalArgs => ({
  relation: TOP_UPS_BY_DAY,
  existing: existingTable(TOP_UPS_BY_DAY, { timePartitioning: { type: 'DAY', field: 'top_up_date' } }),
  sql: TOP_UPS_SQL,
  strategy: 'insert_overwrite',
  unique_key: [],
  incremental_predicates: [],
  columns: TOP_UP_COLUMNS,
  config: { partition_by: BY_TOP_UP_DATE, cluster_by: ['channel'] },
  ...overrides,
});

const CUSTOMERS_SQL = 'select id, first_name, last_name, email, updated_at from `sp01-test`.`dev_raw`.`customers`';
const SOURCE_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'updated_at'].map((name) => ({ name, data_type: name === 'id' ? 'INT64' : name === 'updated_at' ? 'TIMESTAMP' : 'STRING' }));
const SNAPSHOT_COLUMNS = [...SOURCE_COLUMNS, ...['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'].map((name) => ({ name, data_type: name === 'dbt_scd_id' ? 'STRING' : 'TIMESTAMP' }))];
const SNAPSHOT = relation('snapshots', 'customers_snapshot');

describe('golden SQL per materialization and strategy', () => {
  it.each<[string, () => SqlPlan]>([
    ['view.sql', () => viewPlan(dialect, { relation: relation('analytics_marts', 'customer_overview_v'), existing: null, sql: 'select customer_id, full_name from `sp01-test`.`dev_analytics_marts`.`customers`', config: { labels: { domain: 'sales' } } })],
    ['view-replacing-table.sql', () => viewPlan(dialect, { relation: relation('analytics_marts', 'customer_overview_v'), existing: existingTable(relation('analytics_marts', 'customer_overview_v')), sql: 'select 1 as x', config: {} })],
    ['table-partitioned.sql', () => tablePlan(dialect, { relation: ORDERS, existing: existingTable(ORDERS, ORDERS_LAYOUT), sql: ORDERS_SQL, config: { ...ORDERS_CONFIG, materialized: 'table' } })],
    ['table-repartitioned.sql', () => tablePlan(dialect, { relation: ORDERS, existing: existingTable(ORDERS, { timePartitioning: { type: 'MONTH', field: 'order_date' } }), sql: ORDERS_SQL, config: { ...ORDERS_CONFIG, materialized: 'table' } })],
    ['table-int64-range.sql', () => tablePlan(dialect, { relation: relation('analytics', 'members'), existing: null, sql: 'select member_id, name from `sp01-test`.`dev_raw`.`members`', config: { partition_by: { field: 'member_id', data_type: 'int64', granularity: 'day', range: { start: 0, end: 1000000, interval: 1000 } } } })],
    ['merge-pruned.sql', () => incrementalPlan(dialect, merge())],
    ['merge-unpartitioned.sql', () => incrementalPlan(dialect, merge({ config: { merge_exclude_columns: ['order_date'] }, unique_key: ['order_id', 'customer_id'], incremental_predicates: [] }))],
    ['merge-without-unique-key.sql', () => incrementalPlan(dialect, merge({ unique_key: [] }))],
    ['insert-overwrite-dynamic.sql', () => incrementalPlan(dialect, overwrite())],
    ['insert-overwrite-hourly.sql', () => incrementalPlan(dialect, overwrite({ relation: EVENTS, sql: EVENTS_SQL, columns: EVENT_COLUMNS, config: { partition_by: BY_HOUR } }))],
    ['insert-overwrite-static.sql', () => incrementalPlan(dialect, overwrite({ config: { partition_by: BY_TOP_UP_DATE, partitions: ['date(current_date())', 'date_sub(current_date(), interval 1 day)'] } }))],
    ['insert-overwrite-unpartitioned.sql', () => incrementalPlan(dialect, overwrite({ config: {} }))],
    ['schema-change.sql', () => schemaChangePlan(dialect, { relation: ORDERS, add: [{ name: 'channel', data_type: 'STRING' }, { name: 'refunded_at', data_type: 'TIMESTAMP' }], remove: [{ name: 'legacy_flag', data_type: 'BOOL' }] })],
    ['snapshot-first-run.sql', () => snapshotPlan(dialect, { relation: SNAPSHOT, existing: null, sql: CUSTOMERS_SQL, config: snapshotConfig({ hard_deletes: 'invalidate' }), source_columns: SOURCE_COLUMNS, target_columns: [] })],
    ['snapshot-timestamp.sql', () => snapshotPlan(dialect, { relation: SNAPSHOT, existing: existingTable(SNAPSHOT), sql: CUSTOMERS_SQL, config: snapshotConfig({ hard_deletes: 'invalidate' }), source_columns: SOURCE_COLUMNS, target_columns: SNAPSHOT_COLUMNS })],
    [
      'snapshot-check-new-record.sql',
      () =>
        snapshotPlan(dialect, {
          relation: relation('analytics_history', 'orders_status_snapshot'),
          existing: existingTable(relation('analytics_history', 'orders_status_snapshot')),
          sql: 'select order_id, status, customer_id from `sp01-test`.`dev_analytics_staging`.`stg_orders`',
          config: snapshotConfig({ strategy: 'check', unique_key: 'order_id', updated_at: null, check_cols: ['status'], hard_deletes: 'new_record' }),
          source_columns: [{ name: 'order_id', data_type: 'INT64' }, { name: 'status', data_type: 'STRING' }, { name: 'customer_id', data_type: 'INT64' }],
          target_columns: [
            { name: 'order_id', data_type: 'INT64' },
            { name: 'status', data_type: 'STRING' },
            { name: 'customer_id', data_type: 'INT64' },
            ...['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to', 'dbt_is_deleted'].map((name) => ({ name, data_type: 'STRING' })),
          ],
        }),
    ],
    [
      'seed.sql',
      () =>
        seedPlan(dialect, { database: 'sp01-test', schema: 'dev_analytics_raw_seeds', identifier: 'raw_payments' }, {
          relation: relation('analytics_raw_seeds', 'raw_payments'),
          existing: { ...relation('analytics_raw_seeds', 'raw_payments'), type: 'view' },
          full_refresh: false,
          columns: [{ name: 'id', data_type: 'integer' }, { name: 'payment_method', data_type: 'STRING' }, { name: 'amount', data_type: 'numeric(12, 2)' }],
          rows: [['1', 'credit_card', '10.00']],
        }),
    ],
  ])('%s', (name, build) => {
    expectGolden(name, jobsOf(build()));
  });

  it('tests.sql: every data test of a model in one query', () => {
    const model = '`sp01-test`.`dev_analytics_marts`.`orders`';
    const sql = testsQuery(dialect, {
      model,
      tests: [
        { unique_id: 'test.jaffle.unique_orders_order_id.fed5e0f0b2', sql: `select order_id as unique_field, count(*) as n_records\nfrom ${model}\nwhere order_id is not null\ngroup by order_id\nhaving count(*) > 1`, fail_calc: 'count(*)' },
        { unique_id: 'test.jaffle.not_null_orders_order_id.cf6c17daed', sql: `select order_id\nfrom ${model}\nwhere order_id is null`, fail_calc: 'count(*)' },
      ],
    });
    expectGolden('tests.sql', `${sql}\n`);
    expect(sql.split(model)).toHaveLength(2);
  });

  it('freshness.sql', () => {
    expectGolden('freshness.sql', `${freshnessQuery(dialect, { relation: relation('raw', 'top_up_records'), loaded_at_field: 'loaded_at', filter: "loaded_at >= timestamp_sub(current_timestamp(), interval 3 day)" })}\n`);
  });
});

describe('plans', () => {
  it('prunes the merge by the earliest partition of the new rows, through a script variable', () => {
    const script = batchScript(incrementalPlan(dialect, merge())[0] as SqlPlan[number]);
    expect(script).toContain('declare dbt_partition_lower_bound date;');
    expect(script).toContain('set dbt_partition_lower_bound = (\n    select min(order_date) from `orders__dbt_tmp`\n)');
    expect(script).toContain(
      '    on (DBT_INTERNAL_DEST.order_date >= dbt_partition_lower_bound) and (DBT_INTERNAL_DEST.order_date >= date_sub(current_date(), interval 7 day)) and (DBT_INTERNAL_SOURCE.order_id = DBT_INTERNAL_DEST.order_id)\n',
    );
  });

  it.each([
    ['merge_prune_partitions: false', merge({ config: { ...ORDERS_CONFIG, merge_prune_partitions: false } })],
    ['no partition_by', merge({ config: {} })],
    ['no unique_key (nothing is matched)', merge({ unique_key: [] })],
  ])('merges in one statement with %s', (_name, args) => {
    const plan = incrementalPlan(dialect, args);
    expect(plan).toHaveLength(1);
    expect(plan[0]?.statements).toHaveLength(1);
    expect(plan[0]?.statements[0]?.sql).toMatch(/^merge into `sp01-test`\.`dev_analytics_marts`\.`orders` as DBT_INTERNAL_DEST/);
  });

  it.each(['append', 'delete+insert'] as const)('refuses %s, which BigQuery does not offer', (strategy) => {
    expect(() => incrementalPlan(dialect, merge({ strategy }))).toThrow(/use 'merge' or 'insert_overwrite'/);
  });

  it('replaces a table in place when its layout still matches, else drops it first', () => {
    const same = tablePlan(dialect, { relation: ORDERS, existing: existingTable(ORDERS, ORDERS_LAYOUT), sql: ORDERS_SQL, config: ORDERS_CONFIG });
    expect(same.map((b) => b.statements.length)).toEqual([1]);
    const reclustered = tablePlan(dialect, { relation: ORDERS, existing: existingTable(ORDERS, { ...ORDERS_LAYOUT, clustering: { fields: ['status'] } }), sql: ORDERS_SQL, config: ORDERS_CONFIG });
    expect(reclustered[0]?.statements[0]?.sql).toBe('drop table if exists `sp01-test`.`dev_analytics_marts`.`orders`');
    const fromView = tablePlan(dialect, { relation: ORDERS, existing: { ...ORDERS, type: 'view' }, sql: ORDERS_SQL, config: {} });
    expect(fromView[0]?.statements[0]?.sql).toBe('drop view if exists `sp01-test`.`dev_analytics_marts`.`orders`');
  });

  it('refuses more than four clustering columns and time-ingestion partitioning', () => {
    expect(() => tablePlan(dialect, { relation: ORDERS, existing: null, sql: 'select 1', config: { cluster_by: ['a', 'b', 'c', 'd', 'e'] } })).toThrow(/at most 4/);
    expect(() => incrementalPlan(dialect, overwrite({ config: { partition_by: { ...BY_TOP_UP_DATE, time_ingestion_partitioning: true } } }))).toThrow(/time_ingestion_partitioning/);
  });

  it('counts the rows a script changed with @@row_count and selects the count last', () => {
    const script = batchScript(incrementalPlan(dialect, overwrite())[0] as SqlPlan[number]);
    const statements = script.split(';\n\n').map((s) => s.split('\n')[0]);
    expect(statements).toEqual([
      'declare dbt_partitions_for_replacement array<date>',
      'declare dbt_rows_affected int64 default 0',
      'create temp table `top_ups_by_day__dbt_tmp`',
      'set (dbt_partitions_for_replacement) = (',
      'merge into `sp01-test`.`dev_analytics_marts`.`top_ups_by_day` as DBT_INTERNAL_DEST',
      'set dbt_rows_affected = dbt_rows_affected + coalesce(@@row_count, 0)',
      'drop table if exists `top_ups_by_day__dbt_tmp`',
      'select dbt_rows_affected;',
    ]);
  });

  it('wraps an atomic batch of several DML statements in a transaction', () => {
    const script = batchScript({ atomic: true, statements: [{ sql: 'delete from t where d = 1' }, { sql: 'insert into t select 1', reports: true }] });
    expect(script).toBe('declare dbt_rows_affected int64 default 0;\n\nbegin transaction;\n\ndelete from t where d = 1;\n\ninsert into t select 1;\n\nset dbt_rows_affected = dbt_rows_affected + coalesce(@@row_count, 0);\n\ncommit transaction;\n\nselect dbt_rows_affected;');
    expect(batchScript({ atomic: true, statements: [{ sql: 'select 1;' }] })).toBe('select 1');
  });
});

describe('snapshot plan', () => {
  it('filters current versions by a bare dbt_valid_to (GoogleSQL has no project.dataset.table.column)', () => {
    const plan = snapshotPlan(dialect, {
      relation: SNAPSHOT,
      existing: existingTable(SNAPSHOT),
      sql: CUSTOMERS_SQL,
      config: snapshotConfig({ dbt_valid_to_current: "timestamp('9999-12-31')" }),
      source_columns: SOURCE_COLUMNS,
      target_columns: SNAPSHOT_COLUMNS,
    });
    const staging = plan[0]?.statements[0]?.sql ?? '';
    expect(staging).toContain("where (dbt_valid_to = timestamp('9999-12-31') or dbt_valid_to is null)");
    expect(staging).not.toMatch(/`\.dbt_valid_to/);
    expect(plan[0]?.statements[1]?.sql).toContain("and (DBT_INTERNAL_DEST.dbt_valid_to = timestamp('9999-12-31') or DBT_INTERNAL_DEST.dbt_valid_to is null)");
  });
});
