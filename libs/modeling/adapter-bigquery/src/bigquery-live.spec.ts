import { randomBytes } from 'node:crypto';
import { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BigQueryAdapter } from './bigquery-adapter.js';
import { createBigQueryAdapter } from './bigquery-adapter.js';

/**
 * Against real BigQuery, only when asked: SP01_LIVE_GCP=1 and BIGQUERY_PROJECT set, with
 * Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS or
 * `gcloud auth application-default login`). Everything lands in a throwaway dataset
 * `sp01_live_<random>_m` that is deleted afterwards. Costs: a few KB processed.
 */
const env = process.env;
const live = env['SP01_LIVE_GCP'] === '1' && Boolean(env['BIGQUERY_PROJECT']);

describe.runIf(live)('BigQuery adapter, live', { timeout: 600_000 }, () => {
  const projectId = env['BIGQUERY_PROJECT'] as string;
  const location = env['BIGQUERY_LOCATION'] || 'US';
  const prefix = `sp01_live_${randomBytes(4).toString('hex')}_`;
  const bigquery = new BigQuery({ projectId, location });
  const m = (identifier: string) => ({ database: null, schema: 'm', identifier });
  let adapter: BigQueryAdapter;

  const ordersSql = (rows: [number, string, string, number][]) =>
    `select * from unnest([${rows.map(([id, day, status, amount]) => `struct(${id} as order_id, date '${day}' as order_date, '${status}' as status, ${amount} as amount)`).join(', ')}])`;
  const orderColumns = [
    { name: 'order_id', data_type: 'INT64' },
    { name: 'order_date', data_type: 'DATE' },
    { name: 'status', data_type: 'STRING' },
    { name: 'amount', data_type: 'INT64' },
  ];
  const partition = { field: 'order_date', data_type: 'date' as const, granularity: 'day' as const };

  beforeAll(async () => {
    adapter = createBigQueryAdapter({ projectId, location, datasetPrefix: prefix, bigquery, maximumBytesBilled: 1_000_000_000, labels: { purpose: 'live-test' } });
    await adapter.ensureSchema({ database: null, schema: 'm' });
  });

  afterAll(async () => {
    await bigquery.dataset(`${prefix}m`).delete({ force: true });
  });

  const rows = (identifier: string) => adapter.query<{ order_id: number; status: string; amount: number }>(`select order_id, status, amount from ${adapter.dialect.renderRelation(m(identifier))} order by order_id`);

  it('seeds with a load job', async () => {
    const response = await adapter.runPlan(
      adapter.seedPlan({ relation: m('channels'), existing: null, full_refresh: false, columns: [{ name: 'id', data_type: 'INT64' }, { name: 'name', data_type: 'STRING' }], rows: [['1', 'app'], ['2', null]] }),
      { label: 'seed.live.channels' },
    );
    expect(response.rows_affected).toBe(2);
    expect(await adapter.getColumns(m('channels'))).toEqual([{ name: 'id', data_type: 'INT64' }, { name: 'name', data_type: 'STRING' }]);
  });

  it('builds a partitioned table, a view, then merges and overwrites partitions', async () => {
    const orders = m('orders');
    const table = await adapter.runPlan(adapter.tablePlan({ relation: orders, existing: null, sql: ordersSql([[1, '2025-01-01', 'placed', 10], [2, '2025-01-02', 'placed', 20]]), config: { partition_by: partition, cluster_by: ['status'], require_partition_filter: false, labels: { domain: 'sales' } } }), { label: 'model.live.orders' });
    expect(table.bytes_processed).toBeGreaterThanOrEqual(0);
    await adapter.runPlan(adapter.viewPlan({ relation: m('orders_v'), existing: null, sql: `select * from ${adapter.dialect.renderRelation(orders)}`, config: {} }));
    expect((await adapter.getRelation(m('orders_v')))?.type).toBe('view');

    const existing = await adapter.getRelation(orders);
    if (!existing) throw new Error('orders missing');
    const merged = await adapter.runPlan(
      adapter.incrementalPlan({ relation: orders, existing, sql: ordersSql([[2, '2025-01-02', 'shipped', 20], [3, '2025-01-03', 'placed', 30]]), strategy: 'merge', unique_key: ['order_id'], incremental_predicates: [], columns: orderColumns, config: { partition_by: partition } }),
    );
    expect(merged.rows_affected).toBe(2);
    expect(await rows('orders')).toEqual([
      { order_id: 1, status: 'placed', amount: 10 },
      { order_id: 2, status: 'shipped', amount: 20 },
      { order_id: 3, status: 'placed', amount: 30 },
    ]);

    await adapter.runPlan(adapter.incrementalPlan({ relation: orders, existing, sql: ordersSql([[4, '2025-01-03', 'placed', 40]]), strategy: 'insert_overwrite', unique_key: [], incremental_predicates: [], columns: orderColumns, config: { partition_by: partition } }));
    expect((await rows('orders')).map((r: { order_id: number }) => r.order_id)).toEqual([1, 2, 4]);
  });

  it('runs a model’s tests as one query and dry-runs for bytes', async () => {
    const model = adapter.dialect.renderRelation(m('orders'));
    const { rows: counts } = await adapter.execute<{ unique_id: string; failures: number }>(
      adapter.testsQuery({ model, tests: [{ unique_id: 'not_null', sql: `select * from ${model} where order_id is null`, fail_calc: 'count(*)' }, { unique_id: 'positive', sql: `select * from ${model} where amount > 15`, fail_calc: 'count(*)' }] }),
    );
    expect(Object.fromEntries(counts.map((r: { unique_id: string; failures: number }) => [r.unique_id, r.failures]))).toEqual({ not_null: 0, positive: 2 });
    const dry = await adapter.dryRun(`select * from ${model}`);
    expect(dry.ok).toBe(true);
    expect(dry.bytes_processed).toBeGreaterThan(0);
    expect((await adapter.dryRun('select nope from nowhere')).ok).toBe(false);
  });
});
