import { describePostgres } from '@sp01/vitest-preset/postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compareDatabases } from './compare.js';
import { databaseUrl, dropDatabase, recreateDatabase, withClient } from './databases.js';

// Twin databases that differ on purpose, one way per table: the comparison must see each.
const COMMON = `
  create schema analytics;
  create table analytics.same (id int, name text);
  insert into analytics.same values (1, 'a'), (2, 'b');
  create view analytics.same_view as select id from analytics.same;
  create table analytics.snap (id int, dbt_scd_id text, dbt_updated_at timestamp, dbt_valid_from timestamp, dbt_valid_to timestamp, stamped timestamptz);
`;
const DBT = `${COMMON}
  create table analytics.changed_row (id int, amount numeric);
  insert into analytics.changed_row values (1, 10), (2, 20);
  create table analytics.duplicated (id int);
  insert into analytics.duplicated values (1);
  create table analytics.typed (id int, fee double precision);
  insert into analytics.typed values (1, 0.5);
  create table analytics.dbt_only (id int);
  insert into analytics.snap values (1, 'x', '2024-01-01 10:00', '2024-01-01 10:00', null, now());
`;
const SP01 = `${COMMON}
  create table analytics.changed_row (id int, amount numeric);
  insert into analytics.changed_row values (1, 10), (2, 21);
  create table analytics.duplicated (id int);
  insert into analytics.duplicated values (1), (1);
  create table analytics.typed (id int, fee numeric);
  insert into analytics.typed values (1, 0.5);
  create table analytics.sp01_only (id int);
  insert into analytics.snap values (1, 'y', '2024-01-01 10:05', '2024-01-01 10:05', null, now() + interval '1 minute');
`;

describePostgres('compareDatabases', (serverUrl) => {
  const names = { dbt: 'oracle_spec_dbt', sp01: 'oracle_spec_sp01' };
  beforeAll(async () => {
    await recreateDatabase(serverUrl, names.dbt);
    await recreateDatabase(serverUrl, names.sp01);
    await withClient(databaseUrl(serverUrl, names.dbt), (c) => c.query(DBT));
    await withClient(databaseUrl(serverUrl, names.sp01), (c) => c.query(SP01));
  });
  afterAll(async () => {
    await dropDatabase(serverUrl, names.dbt);
    await dropDatabase(serverUrl, names.sp01);
  });

  it('sees every kind of difference, and nothing where there is none', async () => {
    const result = await compareDatabases({
      dbtUrl: databaseUrl(serverUrl, names.dbt),
      sp01Url: databaseUrl(serverUrl, names.sp01),
      ignoreColumns: ['stamped'],
    });
    const byName = new Map(result.map((r) => [r.relation, r]));
    expect(byName.get('analytics.same')).toMatchObject({ verdict: 'equal', dbtRows: 2, sp01Rows: 2, onlyDbt: 0, onlySp01: 0 });
    expect(byName.get('analytics.same_view')).toMatchObject({ verdict: 'equal', kind: 'view' });
    expect(byName.get('analytics.changed_row')).toMatchObject({ verdict: 'different', onlyDbt: 1, onlySp01: 1 });
    expect(byName.get('analytics.duplicated')).toMatchObject({ verdict: 'different', dbtRows: 1, sp01Rows: 2, onlyDbt: 0, onlySp01: 1 });
    expect(byName.get('analytics.typed')).toMatchObject({
      verdict: 'different',
      onlyDbt: 0,
      onlySp01: 0,
      columnDifferences: ['fee: double precision (dbt-core) ≠ numeric (SP01)'],
    });
    expect(byName.get('analytics.dbt_only')).toMatchObject({ verdict: 'only-dbt', dbtRows: 0, sp01Rows: null });
    expect(byName.get('analytics.sp01_only')).toMatchObject({ verdict: 'only-sp01' });
    // Snapshot stamps of two runs differ; which rows are current must not.
    expect(byName.get('analytics.snap')).toMatchObject({ verdict: 'equal-but-snapshot-times' });
  });
});
