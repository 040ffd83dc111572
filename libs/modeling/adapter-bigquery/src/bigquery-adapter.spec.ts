import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeBigQueryJob } from '@sp01/google-fakes';
import { BigQueryJobError } from './bigquery-jobs.js';
import type { Harness } from './__fixtures__/harness.js';
import { startHarness } from './__fixtures__/harness.js';
import { BY_TOP_UP_DATE, existingTable, LOCATION, ORDER_COLUMNS, ORDERS, ORDERS_CONFIG, ORDERS_LAYOUT, ORDERS_SQL, PROJECT, relation, TOP_UP_COLUMNS, TOP_UPS_BY_DAY, TOP_UPS_SQL } from './__fixtures__/nodes.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const INVOCATION_LABEL = '0f6a2b7c-1d2e-4f5a-9b8c-7d6e5f4a3b2c';
const queryJobs = () => h.fake.jobs.filter((job) => job.kind === 'query' && !job.dryRun);
const inserts = () => h.fake.requests.filter((r) => r.method === 'POST' && /\/jobs$/.test(r.path));
/** Backoff waits (job polls wait 1–4 ms, backoffs hundreds). */
const backoffs = () => h.sleeps.filter((ms) => ms >= 100);

function lastQuery(): FakeBigQueryJob {
  const job = queryJobs().at(-1);
  if (!job) throw new Error('no query job ran');
  return job;
}

describe('query jobs', () => {
  it('configure GoogleSQL, labels, the byte limit and the location on every job', async () => {
    h.fake.onQuery(() => ({ totalBytesProcessed: 5_242_880, numDmlAffectedRows: 12 }));
    const result = await h.adapter.execute('update `sp01-test`.`dev_x`.`t` set a = 1 where true', { label: 'model.jaffle.orders', labels: { domain: 'sales' } });
    const job = lastQuery();
    expect(job.configuration).toMatchObject({
      query: { query: 'update `sp01-test`.`dev_x`.`t` set a = 1 where true', useLegacySql: false, maximumBytesBilled: '1000000000' },
      labels: { env: 'test', domain: 'sales', dbt_invocation_id: INVOCATION_LABEL, node: 'model_jaffle_orders' },
    });
    expect(job.configuration.dryRun).toBeUndefined();
    expect(job.jobReference).toMatchObject({ projectId: PROJECT, location: LOCATION });
    expect(job.jobReference.jobId).toMatch(/^sp01_model_jaffle_orders_[a-z0-9]+_[0-9a-f]{10}$/);
    expect(result.response).toMatchObject({
      code: 'UPDATE',
      rows_affected: 12,
      bytes_processed: 5_242_880,
      bytes_billed: 5_242_880,
      job_id: job.jobReference.jobId,
      location: LOCATION,
      project_id: PROJECT,
      message: 'UPDATE (12 rows, 5.0 MiB processed)',
    });
  });

  it('returns rows as plain values: INT64 numbers, TIMESTAMP dates, DATE and NUMERIC strings', async () => {
    h.fake.onQuery(() => ({
      schema: [
        { name: 'unique_id', type: 'STRING' },
        { name: 'failures', type: 'INT64' },
        { name: 'max_loaded_at', type: 'TIMESTAMP' },
        { name: 'day', type: 'DATE' },
        { name: 'amount', type: 'NUMERIC' },
      ],
      rows: [{ unique_id: 'test.a', failures: 3, max_loaded_at: '2025-03-04T05:06:07.000Z', day: '2025-03-04', amount: '12.50' }],
      totalBytesProcessed: 100,
    }));
    const rows = await h.adapter.query('select …');
    expect(rows).toEqual([{ unique_id: 'test.a', failures: 3, max_loaded_at: new Date('2025-03-04T05:06:07.000Z'), day: '2025-03-04', amount: '12.5' }]);
  });

  it('reads every page of a large result', async () => {
    await h.close();
    h = await startHarness({ resultPageSize: 10 });
    const rows = Array.from({ length: 25 }, (_, i) => ({ n: i }));
    h.fake.onQuery(() => ({ schema: [{ name: 'n', type: 'INT64' }], rows }));
    const all = await h.adapter.query('select n from t');
    expect(all).toEqual(rows);
    expect(h.fake.requests.filter((r) => r.path.includes('/queries/')).map((r) => r.query['pageToken'] ?? 'first')).toEqual(['first', '10', '20']);
  });
});

describe('plans', () => {
  it('run a script as one job and report the rows its merge changed and the bytes it processed', async () => {
    h.fake.onQuery((call) => (call.sql.includes('merge into') ? { schema: [{ name: 'dbt_rows_affected', type: 'INT64' }], rows: [{ dbt_rows_affected: 42 }], totalBytesProcessed: 73_400_320 } : undefined));
    const plan = h.adapter.incrementalPlan({
      relation: TOP_UPS_BY_DAY,
      existing: existingTable(TOP_UPS_BY_DAY),
      sql: TOP_UPS_SQL,
      strategy: 'insert_overwrite',
      unique_key: [],
      incremental_predicates: [],
      columns: TOP_UP_COLUMNS,
      config: { partition_by: BY_TOP_UP_DATE },
    });
    const response = await h.adapter.runPlan(plan, { label: 'model.jaffle.top_ups_by_day' });
    expect(queryJobs()).toHaveLength(1);
    expect(lastQuery().query).toMatch(/^declare dbt_partitions_for_replacement array<date>;/);
    expect(lastQuery().configuration.labels).toMatchObject({ node: 'model_jaffle_top_ups_by_day', dbt_invocation_id: INVOCATION_LABEL });
    expect(response).toMatchObject({ code: 'SCRIPT', rows_affected: 42, bytes_processed: 73_400_320, message: 'SCRIPT (42 rows, 70.0 MiB processed)' });
  });

  it('add up the jobs of a plan with several batches, rows from the reporting one', async () => {
    h.fake.onQuery((call) => ({ totalBytesProcessed: call.sql.startsWith('drop') ? 0 : 2048 }));
    const plan = h.adapter.tablePlan({ relation: ORDERS, existing: { ...ORDERS, type: 'view' }, sql: ORDERS_SQL, config: ORDERS_CONFIG });
    const response = await h.adapter.runPlan(plan, { label: 'model.jaffle.orders' });
    expect(queryJobs().map((job) => job.query?.split('\n')[0])).toEqual([
      'drop view if exists `sp01-test`.`dev_analytics_marts`.`orders`',
      'create or replace table `sp01-test`.`dev_analytics_marts`.`orders`',
    ]);
    expect(response).toMatchObject({ bytes_processed: 2048, job_id: queryJobs()[1]?.jobReference.jobId });
  });

  it('stop at the first failing batch and say why', async () => {
    h.fake.onQuery((call) => (call.sql.startsWith('create') ? { error: { reason: 'invalidQuery', message: 'Unrecognized name: amount at [9:40]' } } : undefined));
    const plan = h.adapter.tablePlan({ relation: ORDERS, existing: existingTable(ORDERS, { clustering: { fields: ['status'] } }), sql: ORDERS_SQL, config: ORDERS_CONFIG });
    await expect(h.adapter.runPlan(plan)).rejects.toThrow(/Unrecognized name: amount at \[9:40\] \(job sp01_query_.*, invalidQuery\)/);
    expect(queryJobs()).toHaveLength(2);
  });

  it('refuse a job over maximumBytesBilled without retrying it', async () => {
    h.fake.onQuery(() => ({ totalBytesProcessed: 2_000_000_000 }));
    const error = await h.adapter.execute('select * from big').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BigQueryJobError);
    expect((error as BigQueryJobError).reason).toBe('bytesBilledLimitExceeded');
    expect(queryJobs()).toHaveLength(1);
  });
});

describe('retries', () => {
  it.each([429, 500, 503])('retry jobs.insert after %i with backoff, under the same job id', async (status) => {
    h.fake.failNext(2, { status, match: (r) => r.method === 'POST' && r.path.endsWith('/jobs') });
    await h.adapter.execute('select 1');
    expect(inserts()).toHaveLength(3);
    const ids = inserts().map((r) => (r.body as { jobReference?: { jobId?: string } }).jobReference?.jobId);
    expect(new Set(ids).size).toBe(1);
    expect(backoffs()).toEqual([250, 500]);
  });

  it('waits for its own job when a retried insert finds it already there (409)', async () => {
    h.fake.failNext(1, { status: 503, afterHandling: true, match: (r) => r.method === 'POST' && r.path.endsWith('/jobs') });
    await h.adapter.execute('select 1');
    expect(inserts()).toHaveLength(2);
    expect(queryJobs()).toHaveLength(1);
  });

  it('retries polls and result reads on 5xx and 403 rateLimitExceeded', async () => {
    h.fake.failNext(1, { status: 502, match: (r) => r.method === 'GET' && /\/jobs\/[^/]+$/.test(r.path) });
    h.fake.failNext(1, { status: 403, reason: 'rateLimitExceeded', match: (r) => r.method === 'GET' && /\/queries\//.test(r.path) });
    await h.adapter.execute('select 1');
    expect(backoffs()).toEqual([250, 250]);
  });

  it.each([
    [400, 'invalid'],
    [403, 'accessDenied'],
    [404, 'notFound'],
  ])('does not retry %i %s', async (status, reason) => {
    h.fake.failNext(1, { status, reason, message: `refused: ${reason}`, match: (r) => r.method === 'POST' && r.path.endsWith('/jobs') });
    await expect(h.adapter.execute('select 1')).rejects.toThrow(`refused: ${reason}`);
    expect(inserts()).toHaveLength(1);
    expect(backoffs()).toEqual([]);
  });

  it('runs a job again under a new id when BigQuery failed it transiently', async () => {
    let runs = 0;
    h.fake.onQuery(() => (++runs === 1 ? { error: { reason: 'backendError', message: 'Backend error. Job aborted.' } } : { totalBytesProcessed: 10 }));
    const result = await h.adapter.execute('select 1', { label: 'model.jaffle.orders' });
    const [first, second] = queryJobs();
    expect(second?.jobReference.jobId).toBe(`${first?.jobReference.jobId}_r2`);
    expect(result.response.job_id).toBe(second?.jobReference.jobId);
  });
});

describe('dry run', () => {
  it('is a dryRun job with labels and no byte limit, and reports the bytes the query would process', async () => {
    h.fake.onQuery((call) => (call.dryRun ? { totalBytesProcessed: 123_456_789_012 } : undefined));
    const result = await h.adapter.dryRun('select * from `sp01-test`.`dev_raw`.`top_up_records`');
    expect(result).toEqual({ ok: true, bytes_processed: 123_456_789_012 });
    const job = h.fake.jobs.at(-1) as FakeBigQueryJob;
    expect(job.dryRun).toBe(true);
    expect(job.configuration).toMatchObject({ dryRun: true, query: { useLegacySql: false }, labels: { env: 'test', node: 'dry_run', dbt_invocation_id: INVOCATION_LABEL } });
    expect(job.configuration.query?.['maximumBytesBilled']).toBeUndefined();
    expect(job.jobReference.location).toBe(LOCATION);
    expect(h.fake.requests.filter((r) => r.method === 'GET')).toEqual([]);
    expect(h.adapter.cost(2 ** 40)).toBeCloseTo(6.25);
  });

  it('reports SQL the warehouse refuses as not ok, with its message', async () => {
    h.fake.onQuery(() => ({ error: { reason: 'invalidQuery', message: 'Syntax error: Unexpected end of script at [1:7]' } }));
    const result = await h.adapter.dryRun('select');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('Syntax error: Unexpected end of script');
  });
});

describe('relations', () => {
  async function createTable(dataset: string, table: string, resource: Record<string, unknown>) {
    await h.bigquery.createDataset(dataset, { location: LOCATION }).catch(() => undefined);
    await h.bigquery.dataset(dataset).createTable(table, resource);
  }

  it('finds a table under the prefixed dataset, with its layout; null when missing', async () => {
    await createTable('dev_analytics_marts', 'orders', {
      schema: { fields: [{ name: 'order_id', type: 'INTEGER' }, { name: 'order_date', type: 'DATE' }] },
      timePartitioning: { type: 'DAY', field: 'order_date' },
      clustering: { fields: ['customer_id'] },
    });
    const existing = await h.adapter.getRelation(ORDERS);
    expect(existing).toMatchObject({ ...ORDERS, type: 'table', partitioning: ORDERS_LAYOUT });
    expect(await h.adapter.getRelation(relation('analytics_marts', 'missing'))).toBeNull();
    expect(await h.adapter.getRelation(relation('no_such_dataset', 'orders'))).toBeNull();
  });

  it('lists columns in GoogleSQL types', async () => {
    await createTable('dev_analytics_marts', 'orders', {
      schema: {
        fields: [
          { name: 'order_id', type: 'INTEGER', mode: 'REQUIRED' },
          { name: 'amount', type: 'NUMERIC', precision: '12', scale: '2' },
          { name: 'tags', type: 'STRING', mode: 'REPEATED' },
          { name: 'payment', type: 'RECORD', fields: [{ name: 'method', type: 'STRING' }, { name: 'paid', type: 'BOOLEAN' }] },
          { name: 'ratio', type: 'FLOAT' },
        ],
      },
    });
    expect(await h.adapter.getColumns(ORDERS)).toEqual([
      { name: 'order_id', data_type: 'INT64' },
      { name: 'amount', data_type: 'NUMERIC(12, 2)' },
      { name: 'tags', data_type: 'ARRAY<STRING>' },
      { name: 'payment', data_type: 'STRUCT<method STRING, paid BOOL>' },
      { name: 'ratio', data_type: 'FLOAT64' },
    ]);
    expect(await h.adapter.getColumns(relation('analytics_marts', 'missing'))).toEqual([]);
  });

  it('describes a select with a query that reads nothing', async () => {
    h.fake.onQuery(() => ({ schema: [{ name: 'order_id', type: 'INT64' }, { name: 'placed_at', type: 'TIMESTAMP' }] }));
    expect(await h.adapter.describeQuery('select order_id, placed_at from t')).toEqual([
      { name: 'order_id', data_type: 'INT64' },
      { name: 'placed_at', data_type: 'TIMESTAMP' },
    ]);
    expect(lastQuery().query).toBe('select * from (\nselect order_id, placed_at from t\n) as __dbt_sbq\nwhere false\nlimit 0');
  });

  it('creates a missing dataset once, where the adapter runs, with its labels', async () => {
    await h.adapter.ensureSchema({ database: null, schema: 'analytics_marts' });
    await h.adapter.ensureSchema({ database: null, schema: 'analytics_marts' });
    expect(h.fake.dataset(PROJECT, 'dev_analytics_marts')?.resource).toMatchObject({ location: LOCATION, labels: { env: 'test' } });
    expect(h.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/datasets'))).toHaveLength(1);
  });

  it('renders relations fully qualified, prefixed, in the dialect the compiler should use', () => {
    expect(h.adapter.dialect.renderRelation(ORDERS)).toBe('`sp01-test`.`dev_analytics_marts`.`orders`');
    expect(h.adapter.dialect.renderRelation({ database: 'other-project', schema: 'raw', identifier: 't' })).toBe('`other-project`.`dev_raw`.`t`');
    expect(h.adapter.physicalRelation(ORDERS)).toEqual({ database: PROJECT, schema: 'dev_analytics_marts', identifier: 'orders' });
  });
});

describe('seeds', () => {
  it('load with one upload job: NDJSON typed by column, explicit schema, WRITE_TRUNCATE, labels', async () => {
    await h.adapter.ensureSchema({ database: null, schema: 'analytics_raw_seeds' });
    const seed = relation('analytics_raw_seeds', 'raw_payments');
    const plan = h.adapter.seedPlan({
      relation: seed,
      existing: null,
      full_refresh: false,
      columns: [
        { name: 'id', data_type: 'INT64' },
        { name: 'payment_method', data_type: 'STRING' },
        { name: 'amount', data_type: 'numeric(12, 2)' },
        { name: 'ratio', data_type: 'FLOAT64' },
        { name: 'paid', data_type: 'BOOL' },
        { name: 'paid_on', data_type: 'DATE' },
      ],
      rows: [
        ['1', 'credit_card', '10.50', '0.5', 'True', '2025-01-02'],
        ['2', '', null, '1e3', 'false', ''],
      ],
    });
    const response = await h.adapter.runPlan(plan, { label: 'seed.jaffle.raw_payments' });
    const job = h.fake.jobs.find((j) => j.kind === 'load') as FakeBigQueryJob;
    expect(job.configuration).toMatchObject({
      load: {
        destinationTable: { projectId: PROJECT, datasetId: 'dev_analytics_raw_seeds', tableId: 'raw_payments' },
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_IF_NEEDED',
        schema: { fields: [{ name: 'id', type: 'INT64' }, { name: 'payment_method', type: 'STRING' }, { name: 'amount', type: 'NUMERIC', precision: '12', scale: '2' }, { name: 'ratio', type: 'FLOAT64' }, { name: 'paid', type: 'BOOL' }, { name: 'paid_on', type: 'DATE' }] },
      },
      labels: { env: 'test', node: 'seed_jaffle_raw_payments', dbt_invocation_id: INVOCATION_LABEL },
    });
    expect(job.jobReference.location).toBe(LOCATION);
    expect(h.fake.requests.find((r) => r.path.startsWith('/upload/'))?.query['uploadType']).toBe('multipart');
    expect(h.fake.table(PROJECT, 'dev_analytics_raw_seeds', 'raw_payments')?.rows).toEqual([
      { id: '1', payment_method: 'credit_card', amount: '10.50', ratio: 0.5, paid: true, paid_on: '2025-01-02' },
      { id: '2', payment_method: null, amount: null, ratio: 1000, paid: false, paid_on: null },
    ]);
    expect(response).toMatchObject({ code: 'LOAD', rows_affected: 2 });
    expect(queryJobs()).toEqual([]);
  });

  it('retries the upload on 503 and a second load replaces the rows', async () => {
    await h.adapter.ensureSchema({ database: null, schema: 'seeds' });
    const args = { relation: relation('seeds', 'channels'), existing: null, full_refresh: false, columns: [{ name: 'channel', data_type: 'STRING' }] };
    await h.adapter.runPlan(h.adapter.seedPlan({ ...args, rows: [['a'], ['b']] }));
    h.fake.failNext(1, { status: 503, match: (r) => r.path.startsWith('/upload/') });
    await h.adapter.runPlan(h.adapter.seedPlan({ ...args, rows: [['c']] }));
    expect(h.fake.table(PROJECT, 'dev_seeds', 'channels')?.rows).toEqual([{ channel: 'c' }]);
    expect(backoffs()).toEqual([250]);
  });
});

describe('data tests and freshness', () => {
  it('runs all tests of a model as one job and reads each failure count', async () => {
    h.fake.onQuery(() => ({
      schema: [{ name: 'unique_id', type: 'STRING' }, { name: 'failures', type: 'INT64' }],
      rows: [{ unique_id: 'test.a', failures: 0 }, { unique_id: 'test.b', failures: 7 }],
      totalBytesProcessed: 1_048_576,
    }));
    const model = h.adapter.dialect.renderRelation(ORDERS);
    const sql = h.adapter.testsQuery({
      model,
      tests: [
        { unique_id: 'test.a', sql: `select * from ${model} where order_id is null`, fail_calc: 'count(*)' },
        { unique_id: 'test.b', sql: `select * from ${model} where amount < 0`, fail_calc: 'count(*)' },
      ],
    });
    const result = await h.adapter.execute(sql, { label: 'tests:orders' });
    expect(queryJobs()).toHaveLength(1);
    expect(result.rows).toEqual([{ unique_id: 'test.a', failures: 0 }, { unique_id: 'test.b', failures: 7 }]);
    expect(result.response.bytes_processed).toBe(1_048_576);
  });

  it('reads freshness as timestamps', async () => {
    h.fake.onQuery(() => ({
      schema: [{ name: 'max_loaded_at', type: 'TIMESTAMP' }, { name: 'snapshotted_at', type: 'TIMESTAMP' }],
      rows: [{ max_loaded_at: '2025-03-04T00:00:00Z', snapshotted_at: '2025-03-04T12:00:00Z' }],
    }));
    const { rows } = await h.adapter.execute(h.adapter.freshnessQuery({ relation: relation('raw', 'top_up_records'), loaded_at_field: 'loaded_at', filter: null }));
    expect(rows[0]).toEqual({ max_loaded_at: new Date('2025-03-04T00:00:00Z'), snapshotted_at: new Date('2025-03-04T12:00:00Z') });
    expect(lastQuery().query).toContain('from `sp01-test`.`dev_raw`.`top_up_records`');
  });
});

describe('adapter contract', () => {
  it('says what BigQuery offers', () => {
    expect(h.adapter.type).toBe('bigquery');
    expect(h.adapter.capabilities).toEqual({ incremental_strategies: ['merge', 'insert_overwrite'], transactions: false, dry_run_bytes: true });
    expect(h.adapter.defaultIncrementalStrategy({ unique_key: null })).toBe('merge');
    expect(['text', 'integer', 'number', 'boolean', 'date', 'datetime'].map((t) => h.adapter.convertType(t as never))).toEqual(['STRING', 'INT64', 'FLOAT64', 'BOOL', 'DATE', 'DATETIME']);
    expect(h.adapter.derivedRelation(ORDERS, '__dbt_tmp')).toEqual({ ...ORDERS, identifier: 'orders__dbt_tmp' });
    expect(h.adapter.dropRelationSql(ORDERS, 'view')).toBe('drop view if exists `sp01-test`.`dev_analytics_marts`.`orders`');
    expect(ORDER_COLUMNS).toHaveLength(5);
  });

  it('refuses label keys BigQuery would refuse, before any call', async () => {
    await expect(h.adapter.execute('select 1', { labels: { Domain: 'x' } })).rejects.toThrow(/invalid BigQuery label key "Domain"/);
    expect(h.fake.requests).toEqual([]);
  });
});
