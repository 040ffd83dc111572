import { join } from 'node:path';
import type { ModelConfig, Relation, SnapshotConfig } from '@sp01/modeling-compiler';
import type { ExistingRelation, SqlPlan } from '@sp01/modeling-executor';
import { goldenFiles } from '@sp01/vitest-preset/golden';
import { describe, expect, it } from 'vitest';
import * as sql from './postgres-sql.js';

/**
 * Golden SQL of every materialization statement on PostgreSQL. `UPDATE_GOLDEN=1` rewrites
 * the files; review the diff like code.
 */
const expectGolden = goldenFiles(join(import.meta.dirname, '__golden__'));

function planText(plan: SqlPlan): string {
  return plan
    .map((batch, i) => [`-- batch ${i + 1}${batch.atomic ? ' (one transaction)' : ''}`, ...batch.statements.map((s) => `${s.sql};${s.reports ? ' -- reports rows' : ''}`)].join('\n'))
    .join('\n\n');
}

function golden(name: string, text: string): void {
  expectGolden(`${name}.sql`, `${text}\n`);
}

const relation: Relation = { database: null, schema: 'analytics', identifier: 'orders' };
const existingTable: ExistingRelation = { ...relation, type: 'table' };
const existingView: ExistingRelation = { ...relation, type: 'view' };
const select = 'select order_id, customer_id, order_date, amount from "analytics_staging"."stg_orders"';
const columns = [
  { name: 'order_id', data_type: 'integer' },
  { name: 'customer_id', data_type: 'integer' },
  { name: 'order_date', data_type: 'date' },
  { name: 'amount', data_type: 'numeric(10,2)' },
];

function snapshotConfig(overrides: Partial<SnapshotConfig>): SnapshotConfig {
  return {
    enabled: true,
    tags: [],
    meta: {},
    schema: null,
    database: null,
    alias: null,
    pre_hook: [],
    post_hook: [],
    materialized: 'snapshot',
    strategy: 'timestamp',
    unique_key: 'id',
    updated_at: 'updated_at',
    check_cols: null,
    hard_deletes: 'ignore',
    target_schema: null,
    target_database: null,
    dbt_valid_to_current: null,
    ...overrides,
  };
}

const snapshotRelation: Relation = { database: null, schema: 'snapshots', identifier: 'customers_snapshot' };
const snapshotSource = 'select id, name, tier, updated_at from "raw"."customers"';
const snapshotColumns = [
  { name: 'id', data_type: 'integer' },
  { name: 'name', data_type: 'text' },
  { name: 'tier', data_type: 'text' },
  { name: 'updated_at', data_type: 'timestamp without time zone' },
];

describe('PostgreSQL materialization SQL (golden)', () => {
  const cases: [string, () => SqlPlan][] = [
    ['view_new', () => sql.viewPlan({ relation, existing: null, sql: select, config: {} })],
    ['view_replacing_table', () => sql.viewPlan({ relation, existing: existingTable, sql: select, config: {} })],
    ['table_new', () => sql.tablePlan({ relation, existing: null, sql: select, config: {} })],
    [
      'table_replacing_view_unlogged_indexed',
      () => sql.tablePlan({ relation, existing: existingView, sql: select, config: { unlogged: true, indexes: [{ columns: ['order_id'], unique: true }, { columns: ['customer_id', 'order_date'], type: 'btree' }] } as Partial<ModelConfig> }),
    ],
    [
      'incremental_merge',
      () =>
        sql.incrementalPlan({
          relation,
          existing: existingTable,
          sql: select,
          strategy: 'merge',
          unique_key: ['order_id'],
          incremental_predicates: ["DBT_INTERNAL_DEST.order_date >= current_date - 7"],
          columns,
          config: { merge_exclude_columns: ['order_date'] } as Partial<ModelConfig>,
        }),
    ],
    ['incremental_merge_without_key', () => sql.incrementalPlan({ relation, existing: existingTable, sql: select, strategy: 'merge', unique_key: [], incremental_predicates: [], columns, config: {} })],
    ['incremental_delete_insert', () => sql.incrementalPlan({ relation, existing: existingTable, sql: select, strategy: 'delete+insert', unique_key: ['order_id'], incremental_predicates: [], columns, config: {} })],
    [
      'incremental_delete_insert_composite_key',
      () =>
        sql.incrementalPlan({
          relation,
          existing: existingTable,
          sql: select,
          strategy: 'delete+insert',
          unique_key: ['order_date', 'customer_id'],
          incremental_predicates: ["DBT_INTERNAL_DEST.order_date >= date '2024-01-01'"],
          columns,
          config: {},
        }),
    ],
    ['incremental_append', () => sql.incrementalPlan({ relation, existing: existingTable, sql: select, strategy: 'append', unique_key: [], incremental_predicates: [], columns, config: {} })],
    ['schema_change', () => sql.schemaChangePlan({ relation, add: [{ name: 'channel', data_type: 'text' }], remove: [{ name: 'legacy_flag', data_type: 'boolean' }] })],
    [
      'snapshot_first_run',
      () => sql.snapshotPlan({ relation: snapshotRelation, existing: null, sql: snapshotSource, config: snapshotConfig({}), source_columns: snapshotColumns, target_columns: [] }),
    ],
    [
      'snapshot_timestamp_ignore',
      () => sql.snapshotPlan({ relation: snapshotRelation, existing: { ...snapshotRelation, type: 'table' }, sql: snapshotSource, config: snapshotConfig({}), source_columns: snapshotColumns, target_columns: snapshotColumns }),
    ],
    [
      'snapshot_check_invalidate',
      () =>
        sql.snapshotPlan({
          relation: snapshotRelation,
          existing: { ...snapshotRelation, type: 'table' },
          sql: snapshotSource,
          config: snapshotConfig({ strategy: 'check', updated_at: null, check_cols: ['name', 'tier'], hard_deletes: 'invalidate' }),
          source_columns: snapshotColumns,
          target_columns: snapshotColumns,
        }),
    ],
    [
      'snapshot_timestamp_new_record_composite_key',
      () =>
        sql.snapshotPlan({
          relation: snapshotRelation,
          existing: { ...snapshotRelation, type: 'table' },
          sql: snapshotSource,
          config: snapshotConfig({ unique_key: ['id', 'tier'], hard_deletes: 'new_record' }),
          source_columns: snapshotColumns,
          target_columns: snapshotColumns,
        }),
    ],
    [
      'snapshot_check_all_valid_to_current',
      () =>
        sql.snapshotPlan({
          relation: snapshotRelation,
          existing: { ...snapshotRelation, type: 'table' },
          sql: snapshotSource,
          config: snapshotConfig({ strategy: 'check', updated_at: null, check_cols: 'all', dbt_valid_to_current: "to_timestamp('9999-12-31', 'YYYY-MM-DD')::timestamp" }),
          source_columns: snapshotColumns,
          target_columns: snapshotColumns,
        }),
    ],
    [
      'seed_create',
      () =>
        sql.seedPlan({
          relation: { database: null, schema: 'seeds', identifier: 'countries' },
          existing: null,
          full_refresh: false,
          columns: [
            { name: 'code', data_type: 'varchar(2)' },
            { name: 'name', data_type: 'text' },
          ],
          rows: [
            ['TW', 'Taiwan'],
            ['NZ', "New Zealand, Aotearoa's"],
            ['XX', null],
          ],
        }),
    ],
    [
      'seed_truncate',
      () =>
        sql.seedPlan({
          relation: { database: null, schema: 'seeds', identifier: 'countries' },
          existing: { database: null, schema: 'seeds', identifier: 'countries', type: 'table' },
          full_refresh: false,
          columns: [{ name: 'code', data_type: 'varchar(2)' }],
          rows: [['TW']],
        }),
    ],
  ];
  it.each(cases)('%s', (name, build) => {
    golden(name, planText(build()));
  });

  it('folds the tests of one model into one query over one scan', () => {
    const model = '"analytics"."orders"';
    const text = sql.testsQuery({
      model,
      tests: [
        { unique_id: 'test.shop.not_null_orders_order_id.1', sql: `select order_id\nfrom ${model}\nwhere order_id is null`, fail_calc: 'count(*)' },
        { unique_id: 'test.shop.unique_orders_order_id.2', sql: `select order_id as unique_field, count(*) as n_records\nfrom ${model}\nwhere order_id is not null\ngroup by order_id\nhaving count(*) > 1`, fail_calc: 'count(*)' },
        {
          unique_id: 'test.shop.relationships_orders_customer_id.3',
          sql: `with child as (\n    select customer_id as from_field\n    from (select * from ${model} where status <> 'x') dbt_subquery\n    where customer_id is not null\n),\nparent as (\n    select customer_id as to_field\n    from "analytics"."customers"\n)\nselect from_field\nfrom child\nleft join parent on child.from_field = parent.to_field\nwhere parent.to_field is null`,
          fail_calc: 'count(*)',
        },
      ],
    });
    expect(text.split(model)).toHaveLength(2);
    golden('tests_query_folded', text);
  });

  it('renders the freshness query', () => {
    golden('freshness', sql.freshnessQuery({ relation: { database: null, schema: 'raw', identifier: 'orders' }, loaded_at_field: '_loaded_at', filter: "_loaded_at > now() - interval '7 days'" }));
  });
});

describe('PostgreSQL relation names', () => {
  it.each([
    ['orders', '__dbt_tmp', 'orders__dbt_tmp'],
    ['a'.repeat(63), '__dbt_backup', `${'a'.repeat(51)}__dbt_backup`],
    ['訂單'.repeat(12), '__dbt_tmp', `${'訂單'.repeat(9)}__dbt_tmp`],
  ])('derives %s + %s within 63 bytes', (identifier, suffix, expected) => {
    const derived = sql.derivedRelation({ database: null, schema: 's', identifier }, suffix);
    expect(derived.identifier).toBe(expected);
    expect(Buffer.byteLength(derived.identifier)).toBeLessThanOrEqual(63);
  });

  it.each([
    ['table', 'drop table if exists "s"."t" cascade'],
    ['view', 'drop view if exists "s"."t" cascade'],
    ['materialized_view', 'drop materialized view if exists "s"."t" cascade'],
  ] as const)('drops a %s', (type, expected) => {
    expect(sql.dropRelationSql({ database: null, schema: 's', identifier: 't' }, type)).toBe(expected);
  });

  it.each([
    ['text', 'text'],
    ['integer', 'integer'],
    ['number', 'float8'], // dbt-postgres: a number with decimals is float8,
    ['boolean', 'boolean'],
    ['date', 'date'],
    ['datetime', 'timestamp without time zone'],
  ] as const)('maps the seed type %s to %s', (inferred, type) => {
    expect(sql.convertType(inferred)).toBe(type);
  });
});
