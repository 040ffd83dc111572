import { Storage } from '@google-cloud/storage';
import type { TransformedRow } from '@sp01/contracts';
import { startFakeStorage, type FakeBigQueryJob, type RecordedBigQueryRequest } from '@sp01/google-fakes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeRequest, LOCATION, PROJECT, startHarness, type Harness } from './__fixtures__/bigquery.js';
import { ok, opStats, postDeduction, preDeduction, rejected, request, sourceFile, topUp } from '@sp01/report-fixtures/warehouse-rows';
import { BigQueryJobError } from './bigquery-jobs.js';
import { createBigQueryWarehouse } from './bigquery-warehouse.js';
import { buildLoadScript } from './load-script.js';
import { rawTableSpecs, REJECT_STAGE_FIELDS, stageFields, tableResource } from './raw-tables.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const LABELS = { app: 'sp01', env: 'test' };
const RUN = '20250325T120000Z-a1b2c3';
const RUN_LABEL = '20250325t120000z-a1b2c3';

const sequence = () => h.fake.requests.map(describeRequest);
/** Backoff waits of the retry policy (job polls wait a few ms, backoffs hundreds). */
const backoffs = () => h.sleeps.filter((ms) => ms >= 100);
const loadJobs = () => h.fake.jobs.filter((j) => j.kind === 'load');
const queryJobs = () => h.fake.jobs.filter((j) => j.kind === 'query');
const stageTables = () => [...h.fake.tables.keys()].filter((k) => k.includes('._stage_'));
const ndjson = (job: FakeBigQueryJob | undefined) =>
  (job?.data ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function migrated() {
  await h.warehouse.migrate();
  h.fake.clearLog();
}

describe('migrate', () => {
  it('creates the dataset where asked, with labels, and every raw table as the contracts say', async () => {
    await h.warehouse.migrate();
    const dataset = h.fake.dataset(PROJECT, 't_raw');
    expect(dataset?.resource).toMatchObject({ location: LOCATION, labels: LABELS });
    const inserts = h.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/tables'));
    expect(inserts.map((r) => r.body)).toEqual(
      rawTableSpecs().map((spec) => ({
        ...JSON.parse(JSON.stringify(tableResource(spec, LABELS))),
        tableReference: { projectId: PROJECT, datasetId: 't_raw', tableId: spec.tableId },
      })),
    );
    expect(h.fake.table(PROJECT, 't_raw', 'top_up')?.resource).toMatchObject({
      timePartitioning: { type: 'DAY', field: 'topup_date' },
      clustering: { fields: ['order_id'] },
    });
    expect(h.fake.table(PROJECT, 't_raw', 'op_stats')?.resource).toMatchObject({
      timePartitioning: { type: 'DAY', field: 'stat_date' },
      clustering: { fields: ['channel_id'] },
    });
    expect(h.fake.table(PROJECT, 't_raw', 'rejected_rows')?.resource).toMatchObject({
      timePartitioning: { type: 'DAY', field: 'rejected_at' },
      clustering: { fields: ['source_file'] },
    });
  });

  it('is idempotent: a second run only reads', async () => {
    await h.warehouse.migrate();
    h.fake.clearLog();
    await h.warehouse.migrate();
    expect(new Set(h.fake.requests.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(h.fake.requests).toHaveLength(1 + rawTableSpecs().length);
  });

  it('adds a NULLABLE column the contract gained and refuses a changed type', async () => {
    await h.warehouse.migrate();
    const topUp = h.fake.table(PROJECT, 't_raw', 'top_up');
    const schema = topUp?.resource.schema;
    if (!topUp || !schema) throw new Error('top_up missing');
    topUp.resource.schema = { fields: schema.fields.filter((f) => f.name !== 'promo_code') };
    h.fake.clearLog();
    await h.warehouse.migrate();
    const patch = h.fake.requests.find((r) => r.method === 'PATCH');
    expect(patch?.path).toMatch(/\/tables\/top_up$/);
    expect((topUp.resource.schema?.fields ?? []).map((f) => f.name).at(-1)).toBe('promo_code');

    const amount = topUp.resource.schema?.fields.find((f) => f.name === 'amount');
    if (amount) amount.type = 'FLOAT';
    await expect(h.warehouse.migrate()).rejects.toThrow(/t_raw\.top_up does not match its contract: amount is FLOAT, the contract says NUMERIC/);
  });

  it('refuses a dataset that lives in another location', async () => {
    await h.close();
    h = await startHarness({ location: 'EU' });
    await h.bigquery.createDataset('t_raw', { location: 'US' });
    await expect(h.warehouse.migrate()).rejects.toThrow(/t_raw is in US, not EU/);
  });
});

describe('loadFile through load-job uploads', () => {
  beforeEach(migrated);

  it('stages the good rows as NDJSON with an explicit schema, merges them in one script, drops the stage', async () => {
    const file = sourceFile('2025/topups-0325.xlsx', '2025-03-25T12:00:00Z');
    const result = await h.warehouse.loadFile(
      request(file, 'top_up', [
        ok(2, topUp('T1')),
        ok(3, topUp('T2', { amount: 0.1 + 0.2, promo_code: 'SPRING', channel_id: 'CH9', topup_at: new Date('2025-03-24T16:30:00.123Z'), topup_date: '2025-03-25' })),
        ok(4, topUp('T1', { points: 99 })),
      ]),
    );
    expect(result).toEqual({ rowsRead: 3, rowsLoaded: 3, rowsRejected: 0 });
    expect(sequence()).toEqual([
      'POST /datasets/t_raw/tables',
      'POST upload:/jobs?uploadType=multipart',
      'GET /jobs/<stage>',
      'GET /jobs/<stage>',
      'POST /jobs',
      'GET /jobs/<merge>',
      'GET /jobs/<merge>',
      'DELETE /datasets/t_raw/tables/<stage>',
    ]);

    const stageCreate = h.fake.requests[0] as RecordedBigQueryRequest;
    const stageId = (stageCreate.body as { tableReference: { tableId: string } }).tableReference.tableId;
    expect(stageId).toMatch(/^_stage_top_up_20250325t120000z_a1b2c3_[0-9a-f]{12}$/);
    const expiration = Number((stageCreate.body as { expirationTime: string }).expirationTime);
    expect(expiration - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(expiration - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(stageCreate.body).toMatchObject({ labels: { ...LABELS, run_id: RUN_LABEL, domain: 'top_up', step: 'stage', role: 'staging' } });

    const [load] = loadJobs();
    expect(load?.jobReference).toMatchObject({ projectId: PROJECT, location: LOCATION, jobId: expect.stringMatching(/^sp01_top_up_.*_stage$/) });
    expect(load?.configuration).toMatchObject({
      load: {
        destinationTable: { projectId: PROJECT, datasetId: 't_raw', tableId: stageId },
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        schema: { fields: stageFields('top_up') },
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_NEVER',
        maxBadRecords: 0,
      },
      labels: { ...LABELS, run_id: RUN_LABEL, domain: 'top_up', step: 'stage' },
    });
    expect(ndjson(load)).toEqual([
      {
        order_id: 'T1', user_id: 'U001', topup_at: '2025-03-25T06:03:22.000Z', amount: '1200.50', currency: 'TWD', points: 1200,
        payment_method: 'credit_card', platform: 'ios', member_level: 2, status: 'success', topup_date: '2025-03-25',
        topup_day_segment: 'afternoon', _source_sheet: 'Sheet1', _source_row: 2,
      },
      {
        order_id: 'T2', user_id: 'U001', topup_at: '2025-03-24T16:30:00.123Z', amount: '0.30', currency: 'TWD', points: 1200,
        payment_method: 'credit_card', platform: 'ios', channel_id: 'CH9', member_level: 2, status: 'success', promo_code: 'SPRING',
        topup_date: '2025-03-25', topup_day_segment: 'afternoon', _source_sheet: 'Sheet1', _source_row: 3,
      },
      expect.objectContaining({ order_id: 'T1', points: 99, _source_row: 4 }),
    ]);

    const [merge] = queryJobs();
    expect(merge?.query).toBe(buildLoadScript('top_up', { dataset: 't_raw', stageTable: stageId }));
    expect(merge?.jobReference.location).toBe(LOCATION);
    expect(merge?.configuration).toMatchObject({
      query: { useLegacySql: false, parameterMode: 'NAMED', maximumBytesBilled: '10000000000' },
      labels: { ...LABELS, run_id: RUN_LABEL, domain: 'top_up', step: 'merge' },
    });
    expect(merge?.parameters).toEqual({
      source_file: '2025/topups-0325.xlsx',
      source_modified_at: '2025-03-25T12:00:00.000Z',
      run_id: RUN,
      domain: 'top_up',
      file_name: 'topups-0325.xlsx',
      source_uri: 'file:///reports/2025/topups-0325.xlsx',
      checksum: file.checksum,
      size_bytes: '4096',
      status: 'loaded',
      rows_read: '3',
      rows_loaded: '3',
      rows_rejected: '0',
      error: null,
    });
    expect(merge?.statistics).toMatchObject({ numChildJobs: expect.any(String), query: { statementType: 'SCRIPT' } });

    expect(stageTables()).toEqual([]);
    expect(await h.leftovers()).toEqual([]);
  });

  it('stages rejects in their own table, one line per failing column, and inserts them in the same script', async () => {
    const file = sourceFile('pre.xlsx', '2025-03-26T12:00:00Z');
    const result = await h.warehouse.loadFile(
      request(file, 'pre_deduction', [
        ok(2, preDeduction('D1')),
        rejected(3, [
          { column: 'points', value: 'abc', reason: 'is not a number' },
          { column: 'deducted_at', value: null, reason: 'is required but blank' },
        ]),
        rejected(4, [], 'Other'),
      ]),
    );
    expect(result).toEqual({ rowsRead: 3, rowsLoaded: 1, rowsRejected: 2 });
    const [rows, rejects] = loadJobs();
    expect(ndjson(rows)).toHaveLength(1);
    expect(rejects?.configuration).toMatchObject({ load: { schema: { fields: REJECT_STAGE_FIELDS } }, labels: { step: 'rejects', domain: 'pre_deduction' } });
    expect(ndjson(rejects)).toEqual([
      { _reject_seq: 1, sheet: 'Sheet1', row_number: 3, column_name: 'points', raw_value: 'abc', reason: 'is not a number' },
      { _reject_seq: 2, sheet: 'Sheet1', row_number: 3, column_name: 'deducted_at', reason: 'is required but blank' },
      { _reject_seq: 3, sheet: 'Other', row_number: 4, reason: 'rejected without a reason' },
    ]);
    const stages = loadJobs().map((j) => (j.configuration.load as { destinationTable: { tableId: string } }).destinationTable.tableId);
    expect(queryJobs()[0]?.query).toBe(buildLoadScript('pre_deduction', { dataset: 't_raw', stageTable: stages[0], rejectStageTable: stages[1] }));
    expect(queryJobs()[0]?.parameters).toMatchObject({ rows_read: '3', rows_loaded: '1', rows_rejected: '2' });
    expect(sequence().filter((s) => s.startsWith('DELETE'))).toEqual(['DELETE /datasets/t_raw/tables/<stage>', 'DELETE /datasets/t_raw/tables/<reject stage>']);
  });

  it('loads a file of rejects only without a row stage, and an empty file with neither', async () => {
    await h.warehouse.loadFile(request(sourceFile('bad.xlsx', '2025-03-26T12:00:00Z'), 'post_deduction', [rejected(2, [{ column: 'status', value: '?', reason: 'bad' }])]));
    expect(loadJobs().map((j) => j.configuration.labels?.['step'])).toEqual(['rejects']);
    expect(queryJobs()[0]?.query).not.toContain('MERGE `t_raw.post_deduction`');
    h.fake.clearLog();
    expect(await h.warehouse.loadFile(request(sourceFile('empty.xlsx', '2025-03-26T12:00:00Z'), 'post_deduction', []))).toEqual({ rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });
    expect(sequence()).toEqual(['POST /jobs', 'GET /jobs/<merge>', 'GET /jobs/<merge>']);
    expect(queryJobs()[0]?.query).toContain('DELETE FROM `t_raw.rejected_rows` WHERE source_file = @source_file;');
  });

  it.each([
    ['op_stats', [ok(2, opStats('2025-03-20', 'CH1')), ok(3, opStats('2025-03-18', 'CH2')), ok(4, opStats('2025-03-22', 'CH1'))], { partition_min: '2025-03-18', partition_max: '2025-03-22' }],
    ['post_deduction', [ok(2, postDeduction('D1'))], {}],
  ] as const)('gives the %s script exactly the parameters it uses (business-date range where the key has it)', async (domain, rows, extra) => {
    await h.warehouse.loadFile(request(sourceFile(`${domain}.xlsx`, '2025-03-26T12:00:00Z'), domain, rows as readonly TransformedRow[]));
    const params = queryJobs()[0]?.parameters ?? {};
    expect(params).toMatchObject(extra);
    expect('partition_min' in params).toBe('partition_min' in extra);
  });

  it('records the file in the ledger the ETL reads back to skip unchanged files', async () => {
    const file = sourceFile('top.xlsx', '2025-03-25T12:00:00Z');
    expect(await h.warehouse.ledgerEntry(file.id)).toBeUndefined();
    await h.warehouse.loadFile(request(file, 'top_up', [ok(2, topUp('T1')), rejected(3, [{ column: 'amount', value: 'x', reason: 'bad' }])]));
    const entry = await h.warehouse.ledgerEntry(file.id);
    expect(entry).toEqual({
      sourceFile: 'top.xlsx',
      fileName: 'top.xlsx',
      domain: 'top_up',
      checksum: file.checksum,
      modifiedAt: new Date('2025-03-25T12:00:00Z'),
      status: 'loaded',
      rowsRead: 2,
      rowsLoaded: 1,
      rowsRejected: 1,
      error: null,
      runId: RUN,
      firstSeenAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    const lookup = queryJobs().find((j) => j.configuration.labels?.['step'] === 'ledger');
    expect(lookup?.parameters).toEqual({ source_file: 'top.xlsx' });
    expect(lookup?.configuration.query).toMatchObject({ maximumBytesBilled: '10000000000' });
    expect(lookup?.jobReference.location).toBe(LOCATION);

    await h.warehouse.recordFileOutcome(file, { domain: 'top_up', status: 'skipped', error: 'domain top_up not selected', runId: 'run-2' });
    const outcome = queryJobs().at(-1);
    expect(outcome?.configuration.labels).toEqual({ ...LABELS, run_id: 'run-2', step: 'outcome', domain: 'top_up' });
    expect(await h.warehouse.ledgerEntry(file.id)).toMatchObject({
      status: 'skipped',
      error: 'domain top_up not selected',
      rowsRead: 0,
      rowsLoaded: 0,
      rowsRejected: 0,
      runId: 'run-2',
      firstSeenAt: entry?.firstSeenAt,
    });
  });

  it('issues no job at all when the rows iterator throws mid-file, closes the source and leaves nothing behind', async () => {
    let closed = false;
    const failure = new Error('zip entry truncated');
    async function* rows(): AsyncGenerator<TransformedRow> {
      try {
        yield ok(2, topUp('T1'));
        yield rejected(3, [{ column: 'amount', value: 'x', reason: 'bad' }]);
        throw failure;
      } finally {
        closed = true;
      }
    }
    await expect(h.warehouse.loadFile(request(sourceFile('broken.xlsx', '2025-03-25T12:00:00Z'), 'top_up', rows()))).rejects.toBe(failure);
    expect(closed).toBe(true);
    expect(h.fake.jobs).toEqual([]);
    expect(h.fake.requests).toEqual([]);
    expect(stageTables()).toEqual([]);
    expect(await h.leftovers()).toEqual([]);
  });

  it('closes the source when a record cannot be written, and merges nothing', async () => {
    let closed = false;
    async function* rows(): AsyncGenerator<TransformedRow> {
      try {
        yield ok(2, topUp('T1', { points: 1.5 }));
        yield ok(3, topUp('T2'));
      } finally {
        closed = true;
      }
    }
    await expect(h.warehouse.loadFile(request(sourceFile('odd.xlsx', '2025-03-25T12:00:00Z'), 'top_up', rows()))).rejects.toThrow(/integer column points: not a whole number/);
    expect(closed).toBe(true);
    expect(h.fake.jobs).toEqual([]);
  });

  it('merges nothing when the staging load fails, and still drops the stage', async () => {
    // A record without its key: the load job refuses the REQUIRED column, as BigQuery would.
    const broken = { ...topUp('T1'), order_id: undefined };
    const attempt = h.warehouse.loadFile(request(sourceFile('nokey.xlsx', '2025-03-25T12:00:00Z'), 'top_up', [ok(2, broken)]));
    await expect(attempt).rejects.toThrow(BigQueryJobError);
    await expect(attempt).rejects.toThrow(/Missing required field: order_id/);
    expect(queryJobs()).toEqual([]);
    expect(stageTables()).toEqual([]);
    expect(sequence().at(-1)).toBe('DELETE /datasets/t_raw/tables/<stage>');
  });

  it('fails with the script error, writes no ledger row and drops the stage', async () => {
    h.onQuery((call) => (call.sql.includes('BEGIN TRANSACTION') ? { error: { reason: 'invalidQuery', message: 'Query error: UPDATE/MERGE must match at most one source row' } } : undefined));
    const file = sourceFile('top.xlsx', '2025-03-25T12:00:00Z');
    await expect(h.warehouse.loadFile(request(file, 'top_up', [ok(2, topUp('T1'))]))).rejects.toThrow(
      /BigQuery job sp01_top_up_\w+_merge failed \(invalidQuery\): Query error: UPDATE\/MERGE must match/,
    );
    expect(queryJobs()).toHaveLength(1);
    expect(h.ledger.size).toBe(0);
    expect(stageTables()).toEqual([]);
  });

  it('refuses an unknown domain before reading a row', async () => {
    const req = { ...request(sourceFile('x.xlsx', '2025-03-25T12:00:00Z'), 'top_up', []), domain: 'refunds' as never };
    await expect(h.warehouse.loadFile(req)).rejects.toThrow(/unknown domain "refunds"/);
  });
});

describe('loadFile staged through Cloud Storage', () => {
  it('uploads the NDJSON to gs://<bucket>/…, loads from the URI, then deletes object and stage', async () => {
    const gcs = await startFakeStorage();
    gcs.createBucket('sp01-staging-bucket');
    await h.close();
    const storage = new Storage({ projectId: PROJECT, apiEndpoint: gcs.apiEndpoint, retryOptions: { autoRetry: false } });
    h = await startHarness(
      { stagingBucket: 'sp01-staging-bucket', storage },
      { readGcsObject: (bucket, name) => gcs.getObject(bucket, name)?.data },
    );
    try {
      await migrated();
      const objects: string[] = [];
      h.onQuery((call) => {
        // What the bucket holds while the script runs: the object outlives the load job.
        if (call.sql.includes('BEGIN TRANSACTION')) objects.push(...gcs.listObjects('sp01-staging-bucket').map((o) => o.name));
        return undefined;
      });
      const result = await h.warehouse.loadFile(
        request(sourceFile('ops.xlsx', '2025-03-25T12:00:00Z'), 'op_stats', [ok(2, opStats('2025-03-20', 'CH1')), rejected(3, [{ column: 'comments', value: '-1', reason: 'must be >= 0' }])]),
      );
      expect(result).toEqual({ rowsRead: 2, rowsLoaded: 1, rowsRejected: 1 });
      expect(h.fake.requests.some((r) => r.path.startsWith('/upload/'))).toBe(false);
      const uris = loadJobs().map((j) => (j.configuration.load as { sourceUris: string[] }).sourceUris);
      expect(uris).toEqual([
        [expect.stringMatching(/^gs:\/\/sp01-staging-bucket\/sp01-staging\/t_raw\/_stage_op_stats_20250325t120000z_a1b2c3_[0-9a-f]{12}\.ndjson$/)],
        [expect.stringMatching(/^gs:\/\/sp01-staging-bucket\/sp01-staging\/t_raw\/_stage_op_stats_.*_rejects\.ndjson$/)],
      ]);
      expect(objects).toHaveLength(2);
      expect(loadJobs()[0]?.configuration).toMatchObject({ load: { writeDisposition: 'WRITE_TRUNCATE', sourceFormat: 'NEWLINE_DELIMITED_JSON' }, labels: { step: 'stage' } });
      expect(h.fake.table(PROJECT, 't_raw', 'op_stats')).toBeDefined();
      expect(gcs.listObjects('sp01-staging-bucket')).toEqual([]);
      expect(gcs.requestsTo('objects.delete')).toHaveLength(2);
      expect(stageTables()).toEqual([]);
    } finally {
      await gcs.close();
    }
  });
});

describe('retries', () => {
  beforeEach(migrated);
  const file = sourceFile('top.xlsx', '2025-03-25T12:00:00Z');
  const load = () => h.warehouse.loadFile(request(file, 'top_up', [ok(2, topUp('T1')), ok(3, topUp('T2'))]));
  const isScriptInsert = (r: RecordedBigQueryRequest) => r.method === 'POST' && r.path === `/bigquery/v2/projects/${PROJECT}/jobs`;

  it.each([
    [429, 'rateLimitExceeded'],
    [500, 'backendError'],
    [503, 'backendError'],
    [403, 'rateLimitExceeded'],
  ])('retries a job insert answered %i %s, with backoff, and runs the job once', async (status, reason) => {
    h.fake.failNext(2, { status, reason, match: isScriptInsert });
    await expect(load()).resolves.toMatchObject({ rowsLoaded: 2 });
    expect(h.fake.requests.filter(isScriptInsert)).toHaveLength(3);
    expect(queryJobs()).toHaveLength(1);
    expect(backoffs()).toEqual([250, 500]);
  });

  it('sends the whole NDJSON again when an upload fails, and loads it once', async () => {
    h.fake.failNext(1, { status: 500, match: (r) => r.path.startsWith('/upload/') });
    await load();
    const uploads = h.fake.requests.filter((r) => r.path.startsWith('/upload/'));
    expect(uploads).toHaveLength(2);
    expect((uploads[0]?.body as { data: string }).data).toBe((uploads[1]?.body as { data: string }).data);
    expect(loadJobs()).toHaveLength(1);
    expect(ndjson(loadJobs()[0])).toHaveLength(2);
  });

  it('retries polls of a running job', async () => {
    h.fake.failNext(2, { status: 403, reason: 'rateLimitExceeded', match: (r) => r.method === 'GET' && r.path.includes('/jobs/') });
    await expect(load()).resolves.toMatchObject({ rowsLoaded: 2 });
  });

  it('waits for the job an insert created before its answer was lost (409 on the retry), never running it twice', async () => {
    h.fake.failNext(1, { status: 503, afterHandling: true, match: isScriptInsert });
    await expect(load()).resolves.toMatchObject({ rowsLoaded: 2 });
    expect(h.fake.requests.filter(isScriptInsert)).toHaveLength(2);
    expect(queryJobs()).toHaveLength(1);
    expect(h.ledger.get('top.xlsx')?.['status']).toBe('loaded');
  });

  it.each([
    [400, 'invalid'],
    [404, 'notFound'],
    [403, 'accessDenied'],
  ])('does not retry %i %s', async (status, reason) => {
    h.fake.failNext(1, { status, reason, message: `refused with ${status}`, match: isScriptInsert });
    await expect(load()).rejects.toMatchObject({ code: status, message: `refused with ${status}` });
    expect(h.fake.requests.filter(isScriptInsert)).toHaveLength(1);
    expect(backoffs()).toEqual([]);
    expect(stageTables()).toEqual([]);
  });

  it.each([
    ['a transaction aborted by a concurrent update', { reason: 'invalidQuery', message: 'Transaction is aborted due to concurrent update against table sp01-test:t_raw.file_ledger.' }],
    ['a backend error', { reason: 'backendError', message: 'Backend error. Job aborted.' }],
  ])('runs the script again under a new job id after %s', async (_name, error) => {
    let failures = 1;
    h.onQuery((call) => (call.sql.includes('BEGIN TRANSACTION') && failures-- > 0 ? { error } : undefined));
    await expect(load()).resolves.toMatchObject({ rowsLoaded: 2 });
    expect(queryJobs().map((j) => j.jobReference.jobId)).toEqual([expect.stringMatching(/_merge$/), expect.stringMatching(/_merge_r2$/)]);
  });

  it('does not run a job again that hit the bytes-billed limit', async () => {
    h.onQuery((call) => (call.sql.includes('BEGIN TRANSACTION') ? { totalBytesProcessed: 20_000_000_000 } : undefined));
    await expect(load()).rejects.toThrow(/bytesBilledLimitExceeded/);
    expect(queryJobs()).toHaveLength(1);
  });
});

describe('query', () => {
  it('reads values back as the PostgreSQL warehouse returns them', async () => {
    h.onQuery(() => ({
      schema: [
        { name: 'n', type: 'INTEGER' },
        { name: 'amount', type: 'NUMERIC' },
        { name: 'day', type: 'DATE' },
        { name: 'at', type: 'TIMESTAMP' },
        { name: 'name', type: 'STRING' },
        { name: 'nothing', type: 'STRING' },
      ],
      rows: [{ n: 3, amount: '1200.5', day: '2025-03-25', at: new Date('2025-03-25T06:03:22.123Z'), name: '頻道', nothing: null }],
    }));
    const rows = await h.warehouse.query('SELECT * FROM `t_raw.top_up` WHERE order_id = @id AND points > @min AND topup_at < @before', {
      id: 'T1',
      min: 10,
      before: new Date('2025-04-01T00:00:00Z'),
    });
    expect(rows).toEqual([{ n: 3, amount: '1200.5', day: '2025-03-25', at: new Date('2025-03-25T06:03:22.123Z'), name: '頻道', nothing: null }]);
    expect(h.fake.jobs[0]?.configuration.query?.queryParameters).toEqual([
      { name: 'id', parameterType: { type: 'STRING' }, parameterValue: { value: 'T1' } },
      { name: 'min', parameterType: { type: 'INT64' }, parameterValue: { value: '10' } },
      { name: 'before', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2025-04-01T00:00:00.000Z' } },
    ]);
  });
});

describe('options', () => {
  it.each([
    [{ datasetPrefix: 'Bad-Prefix' }, /datasetPrefix "Bad-Prefix"/],
    [{ labels: { 'Team Name': 'x' } }, /invalid BigQuery label key "Team Name"/],
    [{ maximumBytesBilled: '10GB' }, /maximumBytesBilled must be a whole number of bytes/],
  ])('refuses %o', (extra, message) => {
    expect(() => createBigQueryWarehouse({ projectId: PROJECT, bigquery: h.bigquery, ...extra })).toThrow(message);
  });

  it('names the raw dataset by its prefix and tells its kind', () => {
    const wh = createBigQueryWarehouse({ projectId: PROJECT, bigquery: h.bigquery, datasetPrefix: 'dev_' });
    expect([wh.kind, wh.projectId, wh.dataset]).toEqual(['bigquery', PROJECT, 'dev_raw']);
  });
});
