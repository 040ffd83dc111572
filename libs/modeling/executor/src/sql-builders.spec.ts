import type { SnapshotConfig } from '@sp01/modeling-compiler';
import { bigqueryDialect, postgresDialect } from '@sp01/modeling-compiler';
import { describe, expect, it } from 'vitest';
import { snapshotColumnNames, snapshotCreateSelect, snapshotHashArguments, snapshotStagingSelect } from './snapshot-sql.js';
import { foldedTestsQuery, TESTED_MODEL_CTE } from './tests-query.js';

const config = (overrides: Partial<SnapshotConfig>) =>
  ({ strategy: 'timestamp', unique_key: 'id', updated_at: 'updated_at', check_cols: null, hard_deletes: 'ignore', dbt_valid_to_current: null, ...overrides }) as SnapshotConfig;

describe('snapshot SQL over any dialect', () => {
  it.each([
    [postgresDialect, `md5(cast(concat(coalesce(cast(id as TEXT), ''), '|', coalesce(cast(updated_at as TEXT), '')) as TEXT))`],
    [bigqueryDialect, 'to_hex(md5(cast(concat'],
  ])('hashes the scd id with %s macros', (dialect, expected) => {
    expect(snapshotHashArguments(dialect, ['id', 'updated_at'])).toContain(expected);
  });

  it('honours snapshot_meta_column_names', () => {
    const names = snapshotColumnNames(config({ snapshot_meta_column_names: { dbt_valid_from: 'valid_from', dbt_valid_to: 'valid_to' } }));
    expect(names).toEqual({ dbt_valid_from: 'valid_from', dbt_valid_to: 'valid_to', dbt_scd_id: 'dbt_scd_id', dbt_updated_at: 'dbt_updated_at', dbt_is_deleted: 'dbt_is_deleted' });
    const sql = snapshotCreateSelect({
      dialect: postgresDialect,
      config: config({ snapshot_meta_column_names: { dbt_valid_from: 'valid_from', dbt_valid_to: 'valid_to' } }),
      sql: 'select 1',
      target: '"s"."t"',
      source_columns: [],
      snapshot_time: 'now()',
    });
    expect(sql).toContain('updated_at as valid_from');
    expect(sql).toContain('nullif(updated_at, updated_at) as valid_to');
  });

  it.each([
    ['ignore', false, false],
    ['invalidate', true, false],
    ['new_record', true, true],
  ] as const)('hard_deletes %s: deletes %s, deletion records %s', (mode, deletes, records) => {
    const sql = snapshotStagingSelect({ dialect: postgresDialect, config: config({ hard_deletes: mode }), sql: 'select 1', target: '"s"."t"', source_columns: [{ name: 'id', data_type: 'integer' }], snapshot_time: 'now()' });
    expect(sql.includes('select * from deletes')).toBe(deletes);
    expect(sql.includes('select * from deletion_records')).toBe(records);
  });

  it('compares every check column, nulls included', () => {
    const sql = snapshotStagingSelect({
      dialect: postgresDialect,
      config: config({ strategy: 'check', updated_at: null, check_cols: ['tier'] }),
      sql: 'select 1',
      target: '"s"."t"',
      source_columns: [],
      snapshot_time: 'now()',
    });
    expect(sql).toContain('snapshotted_data.tier != source_data.tier');
    expect(sql).toContain('((snapshotted_data.tier is null) and not (source_data.tier is null))');
    expect(sql).toContain('now() as dbt_valid_from');
  });
});

describe('folded test query', () => {
  const tests = [
    { unique_id: 'test.p.a', sql: 'select id from "s"."m" where id is null', fail_calc: 'count(*)' },
    { unique_id: "test.p.b'q", sql: 'select id from "s"."m" group by id having count(*) > 1', fail_calc: 'sum(n)' },
  ];
  it('reads the model once and reports every test on its own row', () => {
    const sql = foldedTestsQuery(postgresDialect, { model: '"s"."m"', tests }, { materializeModel: true });
    expect(sql.startsWith(`with ${TESTED_MODEL_CTE} as materialized (\n    select * from "s"."m"\n)`)).toBe(true);
    expect(sql.match(/"s"\."m"/g)).toHaveLength(1);
    expect(sql).toContain(`select 'test.p.a' as unique_id, count(*) as failures`);
    expect(sql).toContain(`select 'test.p.b''q' as unique_id, sum(n) as failures`);
    expect(sql.split('union all')).toHaveLength(2);
  });

  it('leaves tests as written when they share no model', () => {
    const sql = foldedTestsQuery(bigqueryDialect, { model: null, tests: tests.slice(0, 1) }, { materializeModel: false });
    expect(sql).toBe(`select 'test.p.a' as unique_id, count(*) as failures\nfrom (\nselect id from "s"."m" where id is null\n) dbt_internal_test`);
  });
});
