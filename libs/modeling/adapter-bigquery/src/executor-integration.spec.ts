import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProject } from '@sp01/modeling-compiler';
import { dryRunGraph, runGraph } from '@sp01/modeling-executor';
import { checkBytesBudget } from './bytes-budget.js';
import type { Harness } from './__fixtures__/harness.js';
import { startHarness } from './__fixtures__/harness.js';
import { PROJECT } from './__fixtures__/nodes.js';

/** The compiler's fixture project, compiled for BigQuery and run by the executor on this adapter. */
const JAFFLE_DIR = join(import.meta.dirname, '../../compiler/src/__fixtures__/jaffle');
const graph = parseProject({ projectDir: JAFFLE_DIR, env: {}, target: { name: 'prod', type: 'bigquery', schema: 'analytics', database: null } });

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('the executor on the BigQuery adapter (jaffle fixture project)', () => {
  it('seeds through an upload load job into the prefixed dataset', async () => {
    const results = await runGraph({ graph, adapter: h.adapter, command: 'seed', invocationId: h.adapter.invocationId });
    expect(results.results.map((r) => [r.unique_id, r.status])).toEqual([['seed.jaffle.raw_payments', 'success']]);
    expect(results.results[0]?.adapter_response).toMatchObject({ code: 'LOAD', rows_affected: 5 });
    const table = h.fake.table(PROJECT, 'dev_analytics_raw_seeds', 'raw_payments');
    expect(table?.resource.schema?.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['id INT64', 'order_id INT64', 'payment_method STRING', 'amount INT64']);
    expect(table?.rows[0]).toEqual({ id: '1', order_id: '1', payment_method: 'credit_card', amount: '1000' });
  });

  it('builds orders incrementally with a pruned merge, and run_results carry its bytes and rows', async () => {
    await h.bigquery.createDataset('dev_analytics_marts', { location: 'asia-east1' });
    await h.bigquery.dataset('dev_analytics_marts').createTable('orders', {
      schema: { fields: ['order_id:INTEGER', 'customer_id:INTEGER', 'order_date:DATE', 'status:STRING', 'amount:FLOAT'].map((f) => ({ name: f.split(':')[0], type: f.split(':')[1] })) },
      timePartitioning: { type: 'DAY', field: 'order_date' },
      clustering: { fields: ['customer_id'] },
    });
    h.fake.onQuery((call) => {
      if (call.sql.includes('where false\nlimit 0')) {
        return { schema: [{ name: 'order_id', type: 'INT64' }, { name: 'customer_id', type: 'INT64' }, { name: 'order_date', type: 'DATE' }, { name: 'status', type: 'STRING' }, { name: 'amount', type: 'FLOAT64' }] };
      }
      if (call.sql.includes('merge into')) return { schema: [{ name: 'dbt_rows_affected', type: 'INT64' }], rows: [{ dbt_rows_affected: 42 }], totalBytesProcessed: 31_457_280 };
      return undefined;
    });
    const results = await runGraph({ graph, adapter: h.adapter, command: 'run', select: ['orders'], invocationId: h.adapter.invocationId });
    const orders = results.results.find((r) => r.unique_id === 'model.jaffle.orders');
    expect(orders).toMatchObject({ status: 'success', adapter_response: { code: 'SCRIPT', rows_affected: 42, bytes_processed: 31_457_280 } });
    const merge = h.fake.jobs.find((job) => job.query?.includes('merge into'));
    expect(merge?.query).toContain('on (DBT_INTERNAL_DEST.order_date >= dbt_partition_lower_bound) and (DBT_INTERNAL_DEST.order_date >= date_add(current_timestamp(), interval -7 day)) and (DBT_INTERNAL_SOURCE.order_id = DBT_INTERNAL_DEST.order_id)');
    expect(merge?.query).toContain('select * from `sp01-test`.`dev_analytics_staging`.`stg_orders`');
    expect(merge?.configuration.labels).toMatchObject({ node: 'model_jaffle_orders', domain: 'sales', dbt_invocation_id: h.adapter.invocationId });
  });

  it('dry-runs every model for its bytes and tells when the selection is over a --max-bytes budget', async () => {
    h.fake.onQuery((call) => (call.dryRun ? { totalBytesProcessed: call.sql.includes('`dev_raw`') ? 4_000_000_000 : 1_000_000 } : undefined));
    const report = await dryRunGraph({ graph, adapter: h.adapter, command: 'run', maxBytes: 10_000_000_000 });
    const models = [...graph.nodes.values()].filter((n) => n.resource_type === 'model' && n.config.materialized !== 'ephemeral');
    expect(report.results.map((r) => r.unique_id).sort()).toEqual(models.map((m) => m.unique_id).sort());
    expect(report.results.every((r) => r.ok)).toBe(true);
    const check = checkBytesBudget(report.results, 10_000_000_000);
    expect(check.total_bytes).toBe(report.total_bytes);
    expect(report.over_budget).toBe(!check.within_budget);
    expect(report.over_budget).toBe(true);
    expect(check.largest[0]?.bytes_processed).toBe(4_000_000_000);
    expect(h.fake.jobs.every((job) => job.dryRun)).toBe(true);
  });
});
