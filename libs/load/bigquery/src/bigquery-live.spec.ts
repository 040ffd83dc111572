import { randomBytes } from 'node:crypto';
import { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, opStats, rejected, request, sourceFile, topUp } from '@sp01/report-fixtures/warehouse-rows';
import { createBigQueryWarehouse, type BigQueryWarehouse } from './bigquery-warehouse.js';

/**
 * Against real BigQuery, only when asked: SP01_LIVE_GCP=1 and BIGQUERY_PROJECT set, with
 * Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS or gcloud auth
 * application-default login). Everything lands in a throwaway `sp01_live_<random>_raw`
 * dataset that is deleted afterwards; GCS_STAGING_BUCKET, if set, exercises GCS staging.
 */
const env = process.env;
const live = env['SP01_LIVE_GCP'] === '1' && Boolean(env['BIGQUERY_PROJECT']);

describe.runIf(live)('BigQuery warehouse, live', { timeout: 600_000 }, () => {
  const projectId = env['BIGQUERY_PROJECT'] as string;
  const location = env['BIGQUERY_LOCATION'] || 'US';
  const prefix = `sp01_live_${randomBytes(4).toString('hex')}_`;
  const bigquery = new BigQuery({ projectId, location });
  let wh: BigQueryWarehouse;

  beforeAll(async () => {
    wh = createBigQueryWarehouse({
      projectId,
      location,
      datasetPrefix: prefix,
      bigquery,
      labels: { purpose: 'live-test' },
      maximumBytesBilled: 1_000_000_000,
      ...(env['GCS_STAGING_BUCKET'] ? { stagingBucket: env['GCS_STAGING_BUCKET'] } : {}),
    });
    await wh.migrate();
    await wh.migrate();
  });

  afterAll(async () => {
    await bigquery.dataset(`${prefix}raw`).delete({ force: true });
  });

  const topUps = () => wh.query<{ order_id: string; points: number; amount: string; topup_at: Date; topup_date: string; _source_file: string }>(
    `SELECT order_id, points, amount, topup_at, topup_date, _source_file FROM \`${wh.dataset}.top_up\` ORDER BY order_id`,
  );

  it('upserts by key, newest export wins whatever the load order, rejects replaced, ledger written', async () => {
    const a = sourceFile('live/a.xlsx', '2025-03-25T12:00:00Z');
    const newer = sourceFile('live/b.xlsx', '2025-03-26T12:00:00Z');
    const older = sourceFile('live/c.xlsx', '2025-03-24T12:00:00Z');
    const aRows = () => [
      ok(2, topUp('T1')),
      ok(3, topUp('T2', { amount: 19.99 })),
      ok(4, topUp('T2', { amount: 29.99 })),
      rejected(5, [{ column: 'amount', value: 'abc', reason: 'is not a number' }]),
    ];
    expect(await wh.loadFile(request(a, 'top_up', aRows()))).toEqual({ rowsRead: 4, rowsLoaded: 3, rowsRejected: 1 });
    await wh.loadFile(request(newer, 'top_up', [ok(2, topUp('T1', { points: 10, topup_at: new Date('2025-03-27T01:00:00Z'), topup_date: '2025-03-27' }))]));
    await wh.loadFile(request(older, 'top_up', [ok(2, topUp('T2', { points: 1 }))]));
    // Loading `a` again changes nothing but its lineage, and never doubles its rejects.
    await wh.loadFile(request(a, 'top_up', aRows()));

    const rows = await topUps();
    expect(rows.map((r) => [r.order_id, r.points, r.amount, r.topup_date, r._source_file])).toEqual([
      ['T1', 10, '1200.5', '2025-03-27', 'live/b.xlsx'],
      ['T2', 1200, '29.99', '2025-03-25', 'live/a.xlsx'],
    ]);
    expect(rows[0]?.topup_at).toEqual(new Date('2025-03-27T01:00:00Z'));

    const rejects = await wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${wh.dataset}.rejected_rows\` WHERE source_file = @file`, { file: a.id });
    expect(rejects).toEqual([{ n: 1 }]);
    expect(await wh.ledgerEntry(a.id)).toMatchObject({ status: 'loaded', rowsRead: 4, rowsLoaded: 3, rowsRejected: 1, checksum: a.checksum, modifiedAt: a.modifiedAt });
    expect(await wh.ledgerEntry('live/never.xlsx')).toBeUndefined();
  });

  it('loads a business-date range of op stats and records a skipped file', async () => {
    const file = sourceFile('live/ops.xlsx', '2025-03-25T12:00:00Z');
    await wh.loadFile(request(file, 'op_stats', [ok(2, opStats('2025-03-20', 'CH1')), ok(3, opStats('2025-03-22', 'CH1', { live_hours: 1.5 }))]));
    const rows = await wh.query<{ stat_date: string; live_hours: string }>(`SELECT stat_date, live_hours FROM \`${wh.dataset}.op_stats\` ORDER BY stat_date`);
    expect(rows).toEqual([
      { stat_date: '2025-03-20', live_hours: '3.25' },
      { stat_date: '2025-03-22', live_hours: '1.5' },
    ]);
    const skipped = sourceFile('live/skip.xlsx', '2025-03-25T12:00:00Z');
    await wh.recordFileOutcome(skipped, { domain: null, status: 'skipped', error: 'not a report', runId: 'live' });
    expect(await wh.ledgerEntry(skipped.id)).toMatchObject({ status: 'skipped', error: 'not a report', domain: null, rowsRead: 0 });
  });

  it('leaves no staging table behind', async () => {
    const [tables] = await bigquery.dataset(`${prefix}raw`).getTables();
    expect(tables.map((t) => t.id).filter((id) => id?.startsWith('_stage_'))).toEqual([]);
  });
});
