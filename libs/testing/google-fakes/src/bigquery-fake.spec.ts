import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBigQuery, type FakeBigQuery, type FakeBigQueryOptions } from './bigquery-fake.js';
import { checkLoadRows } from './bigquery-load.js';
import { encodeCell, parseMultipartRelated, type TableSchema } from './bigquery-wire.js';

// The wire as the clients see it, spoken with plain fetch: the fake must not depend on
// the client library it stands in for. load-bigquery tests it with the real client.

const P = 'proj';
let fake: FakeBigQuery;
let fakeOptions: FakeBigQueryOptions = {};

beforeEach(async () => {
  fake = await startFakeBigQuery(fakeOptions);
});
afterEach(async () => {
  await fake.close();
  fakeOptions = {};
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${fake.apiEndpoint}${path}`, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  // Response bodies are read loosely: the assertions below are the type check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

const api = (path: string) => `/bigquery/v2/projects/${P}${path}`;

async function dataset(id = 'raw', location = 'asia-east1') {
  expect((await call('POST', api('/datasets'), { datasetReference: { projectId: P, datasetId: id }, location })).status).toBe(200);
}

const schema: TableSchema = {
  fields: [
    { name: 'id', type: 'STRING', mode: 'REQUIRED' },
    { name: 'n', type: 'INT64', mode: 'NULLABLE' },
    { name: 'amount', type: 'NUMERIC', mode: 'NULLABLE', precision: '12', scale: '2' },
    { name: 'day', type: 'DATE', mode: 'NULLABLE' },
    { name: 'at', type: 'TIMESTAMP', mode: 'NULLABLE' },
  ],
};

function multipart(metadata: unknown, data: string) {
  const boundary = 'b0undary';
  return {
    body: `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(metadata)}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n${data}\r\n--${boundary}--`,
    headers: { 'Content-Type': `multipart/related; boundary=${boundary}` },
  };
}

function loadJob(jobId: string, extra: Record<string, unknown> = {}, location = 'asia-east1') {
  return {
    jobReference: { projectId: P, jobId, location },
    configuration: {
      load: { destinationTable: { projectId: P, datasetId: 'raw', tableId: 'stage' }, sourceFormat: 'NEWLINE_DELIMITED_JSON', schema, writeDisposition: 'WRITE_TRUNCATE', ...extra },
      labels: { app: 'sp01' },
    },
  };
}

async function upload(jobId: string, data: string, extra: Record<string, unknown> = {}) {
  const { body, headers } = multipart(loadJob(jobId, extra), data);
  return call('POST', `/upload/bigquery/v2/projects/${P}/jobs?uploadType=multipart`, body, headers);
}

async function untilDone(jobId: string, location = 'asia-east1') {
  for (let i = 0; i < 10; i++) {
    const { json } = await call('GET', api(`/jobs/${jobId}?location=${location}`));
    if (json?.['status'].state === 'DONE') return json;
  }
  throw new Error(`job ${jobId} never finished`);
}

describe('datasets and tables', () => {
  it('creates, reads and refuses to create twice, with Google error bodies', async () => {
    await dataset();
    const got = await call('GET', api('/datasets/raw'));
    expect(got.json).toMatchObject({ kind: 'bigquery#dataset', id: `${P}:raw`, location: 'asia-east1', datasetReference: { projectId: P, datasetId: 'raw' } });
    const again = await call('POST', api('/datasets'), { datasetReference: { projectId: P, datasetId: 'raw' } });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({
      error: {
        code: 409,
        message: `Already Exists: Dataset ${P}:raw`,
        errors: [{ message: `Already Exists: Dataset ${P}:raw`, domain: 'global', reason: 'duplicate' }],
        status: 'ALREADY_EXISTS',
      },
    });
    const missing = await call('GET', api('/datasets/nope'));
    expect(missing.status).toBe(404);
    expect(missing.json?.['error'].errors[0].reason).toBe('notFound');
  });

  it('keeps a table as inserted, lists it, patches nullable columns in and refuses required ones', async () => {
    await dataset();
    const table = {
      tableReference: { projectId: P, datasetId: 'raw', tableId: 'top_up' },
      schema,
      timePartitioning: { type: 'DAY', field: 'day' },
      clustering: { fields: ['id'] },
      labels: { app: 'sp01' },
    };
    const created = await call('POST', api('/datasets/raw/tables'), table);
    expect(created.json).toMatchObject({ ...table, kind: 'bigquery#table', id: `${P}:raw.top_up`, numRows: '0', location: 'asia-east1' });
    expect((await call('POST', api('/datasets/raw/tables'), table)).status).toBe(409);
    expect((await call('GET', api('/datasets/raw/tables'))).json?.['tables']).toMatchObject([{ tableReference: table.tableReference, timePartitioning: table.timePartitioning }]);

    const grown = { fields: [...schema.fields, { name: 'extra', type: 'STRING', mode: 'NULLABLE' }] };
    expect((await call('PATCH', api('/datasets/raw/tables/top_up'), { schema: grown })).json?.['schema']).toEqual(grown);
    const required = { fields: [...grown.fields, { name: 'must', type: 'STRING', mode: 'REQUIRED' }] };
    expect((await call('PATCH', api('/datasets/raw/tables/top_up'), { schema: required })).status).toBe(400);

    expect((await call('DELETE', api('/datasets/raw/tables/top_up'))).status).toBe(204);
    expect((await call('GET', api('/datasets/raw/tables/top_up'))).status).toBe(404);
  });

  it('refuses a table in a missing dataset and a dataset delete that would drop tables', async () => {
    expect((await call('POST', api('/datasets/nope/tables'), { tableReference: { tableId: 't' } })).status).toBe(404);
    await dataset();
    await call('POST', api('/datasets/raw/tables'), { tableReference: { tableId: 't' }, schema });
    expect((await call('DELETE', api('/datasets/raw'))).status).toBe(400);
    expect((await call('DELETE', api('/datasets/raw?deleteContents=true'))).status).toBe(204);
    expect(fake.tables.size).toBe(0);
  });
});

describe('load jobs', () => {
  const good = [
    '{"id":"a","n":1,"amount":"12.50","day":"2025-03-25","at":"2025-03-25T04:00:00.000Z"}',
    '{"id":"b","n":null,"amount":3,"day":null,"at":"2025-03-25 04:00:00 UTC"}',
  ].join('\n');

  it('loads a multipart upload: job RUNNING, then DONE with load statistics, rows in the table', async () => {
    await dataset();
    const inserted = await upload('load_1', `${good}\n`);
    expect(inserted.json).toMatchObject({ kind: 'bigquery#job', jobReference: { projectId: P, jobId: 'load_1', location: 'asia-east1' }, status: { state: 'RUNNING' } });
    const done = await untilDone('load_1');
    expect(done['status']).toEqual({ state: 'DONE' });
    expect(done['statistics'].load).toMatchObject({ outputRows: '2', inputFiles: '1' });
    expect(fake.table(P, 'raw', 'stage')?.rows.map((r) => r['id'])).toEqual(['a', 'b']);
    expect(fake.jobs[0]).toMatchObject({ kind: 'load', data: `${good}\n`, configuration: { labels: { app: 'sp01' } } });
    const logged = fake.requests.find((r) => r.path.startsWith('/upload/'));
    expect(logged?.body).toMatchObject({ metadata: { jobReference: { jobId: 'load_1' } }, data: `${good}\n` });

    await upload('load_2', '{"id":"c"}\n');
    await untilDone('load_2');
    expect(fake.table(P, 'raw', 'stage')?.rows).toEqual([{ id: 'c' }]);
    await upload('load_3', '{"id":"d"}\n', { writeDisposition: 'WRITE_APPEND' });
    await untilDone('load_3');
    expect(fake.table(P, 'raw', 'stage')?.rows).toHaveLength(2);
  });

  it.each([
    ['a required field missing', '{"n":1}', /Missing required field: id/],
    ['an unknown field', '{"id":"a","zz":1}', /no such field: zz/],
    ['a number in a STRING column', '{"id":5}', /id: 5 is not a string/],
    ['a fraction in INT64', '{"id":"a","n":1.5}', /is not a valid INT64/],
    ['a third decimal in NUMERIC(12,2)', '{"id":"a","amount":"1.005"}', /more than 2 digits/],
    ['too many digits for NUMERIC(12,2)', '{"id":"a","amount":"12345678901.00"}', /does not fit NUMERIC\(12, 2\)/],
    ['a slash date', '{"id":"a","day":"2025/03/25"}', /not a valid DATE/],
    ['a timestamp without time', '{"id":"a","at":"2025-03-25"}', /not a valid TIMESTAMP/],
    ['broken JSON', '{"id":', /JSON parsing error/],
  ])('fails the job (not the request) on %s', async (_name, line, message) => {
    await dataset();
    expect((await upload('bad', `${line}\n`)).status).toBe(200);
    const done = await untilDone('bad');
    expect(done['status'].errorResult.reason).toBe('invalid');
    expect(done['status'].errorResult.message).toMatch(message);
    expect(fake.table(P, 'raw', 'stage')).toBeUndefined();
  });

  it('fails a load into a dataset of another location', async () => {
    await dataset('raw', 'EU');
    await upload('far', '{"id":"a"}\n');
    expect((await untilDone('far'))['status'].errorResult.message).toMatch(/different locations/);
  });

  it('takes a resumable upload in chunks: Location, 308 with Range, then the job', async () => {
    await dataset();
    const start = await call('POST', `/upload/bigquery/v2/projects/${P}/jobs?uploadType=resumable`, loadJob('resumed'));
    expect(start.status).toBe(200);
    const location = start.headers.get('location');
    expect(location).toMatch(/upload_id=/);
    const bytes = Buffer.from(`${good}\n`);
    const first = await fetch(location as string, { method: 'PUT', headers: { 'Content-Range': `bytes 0-9/*` }, body: bytes.subarray(0, 10) });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-9');
    const last = await fetch(location as string, {
      method: 'PUT',
      headers: { 'Content-Range': `bytes 10-${bytes.length - 1}/${bytes.length}` },
      body: bytes.subarray(10),
    });
    expect(last.status).toBe(200);
    expect(((await last.json()) as { jobReference: { jobId: string } }).jobReference.jobId).toBe('resumed');
    await untilDone('resumed');
    expect(fake.table(P, 'raw', 'stage')?.rows).toHaveLength(2);
  });

  it('loads gs:// sources through readGcsObject, and fails on a missing object', async () => {
    await fake.close();
    fake = await startFakeBigQuery({ readGcsObject: (bucket, name) => (bucket === 'b' && name === 'x.ndjson' ? '{"id":"g"}\n' : undefined) });
    await dataset();
    const job = (jobId: string, uri: string) => ({ ...loadJob(jobId, { sourceUris: [uri] }) });
    await call('POST', api('/jobs'), job('gcs_1', 'gs://b/x.ndjson'));
    expect((await untilDone('gcs_1'))['status']).toEqual({ state: 'DONE' });
    expect(fake.table(P, 'raw', 'stage')?.rows).toEqual([{ id: 'g' }]);
    await call('POST', api('/jobs'), job('gcs_2', 'gs://b/missing.ndjson'));
    expect((await untilDone('gcs_2'))['status'].errorResult).toMatchObject({ reason: 'notFound', message: 'Not found: URI gs://b/missing.ndjson' });
  });
});

describe('query jobs', () => {
  const queryJob = (jobId: string, query: string, extra: Record<string, unknown> = {}) => ({
    jobReference: { projectId: P, jobId, location: 'asia-east1' },
    configuration: {
      query: {
        query,
        useLegacySql: false,
        parameterMode: 'NAMED',
        queryParameters: [
          { name: 'file', parameterType: { type: 'STRING' }, parameterValue: { value: 'a.xlsx' } },
          { name: 'gone', parameterType: { type: 'STRING' }, parameterValue: {} },
          { name: 'days', parameterType: { type: 'ARRAY', arrayType: { type: 'DATE' } }, parameterValue: { arrayValues: [{ value: '2025-03-25' }] } },
        ],
        ...extra,
      },
      labels: { app: 'sp01' },
    },
  });

  it('records text and parameters, answers RUNNING then scripted rows in pages, timestamps as int64 micros', async () => {
    fake.onQuery(({ sql }) =>
      sql.includes('ledger')
        ? {
            schema: [
              { name: 'name', type: 'STRING' },
              { name: 'rows', type: 'INTEGER' },
              { name: 'at', type: 'TIMESTAMP' },
            ],
            rows: [
              { name: 'a', rows: 3, at: new Date('2025-03-25T04:00:00.123Z') },
              { name: 'b', rows: null, at: null },
              { name: 'c', rows: 1, at: '2025-03-26T00:00:00Z' },
            ],
            totalBytesProcessed: 1234,
          }
        : undefined,
    );
    await call('POST', api('/jobs'), queryJob('q1', 'SELECT * FROM ledger WHERE f = @file'));
    expect(fake.jobs[0]).toMatchObject({ kind: 'query', query: 'SELECT * FROM ledger WHERE f = @file', parameters: { file: 'a.xlsx', gone: null, days: ['2025-03-25'] } });
    const running = await call('GET', api('/queries/q1?location=asia-east1&formatOptions.useInt64Timestamp=true'));
    expect(running.json).toMatchObject({ jobComplete: false, jobReference: { jobId: 'q1' } });
    const page1 = await call('GET', api('/queries/q1?location=asia-east1&formatOptions.useInt64Timestamp=true&maxResults=2'));
    expect(page1.json).toMatchObject({
      jobComplete: true,
      totalRows: '3',
      pageToken: '2',
      totalBytesProcessed: '1234',
      rows: [{ f: [{ v: 'a' }, { v: '3' }, { v: '1742875200123000' }] }, { f: [{ v: 'b' }, { v: null }, { v: null }] }],
    });
    const page2 = await call('GET', api('/queries/q1?location=asia-east1&maxResults=2&pageToken=2'));
    expect(page2.json?.['rows']).toEqual([{ f: [{ v: 'c' }, { v: '1' }, { v: '1.7429472e+9' }] }]);
    expect(page2.json?.['pageToken']).toBeUndefined();
  });

  it('counts the statements of a script as child jobs', async () => {
    await call('POST', api('/jobs'), queryJob('s1', 'BEGIN TRANSACTION;\nDELETE FROM t WHERE TRUE;\n-- a comment; not a statement\nCOMMIT TRANSACTION;\n'));
    const done = await untilDone('s1');
    expect(done['statistics']).toMatchObject({ numChildJobs: '3', query: { statementType: 'SCRIPT' } });
  });

  it('finishes with the scripted error, and over maximumBytesBilled with bytesBilledLimitExceeded', async () => {
    fake.onQuery(({ sql }) => (sql === 'bad' ? { error: { message: 'Syntax error' } } : { totalBytesProcessed: 50_000_000 }));
    await call('POST', api('/jobs'), queryJob('e1', 'bad'));
    expect((await untilDone('e1'))['status'].errorResult).toMatchObject({ reason: 'invalidQuery', message: 'Syntax error' });
    expect((await call('GET', api('/queries/e1?location=asia-east1'))).status).toBe(400);
    await call('POST', api('/jobs'), queryJob('e2', 'SELECT 1', { maximumBytesBilled: '10000000' }));
    expect((await untilDone('e2'))['status'].errorResult.reason).toBe('bytesBilledLimitExceeded');
  });

  it('answers a dry run at once with its estimate and keeps no job to fetch', async () => {
    fake.onQuery(({ dryRun }) => ({ totalBytesProcessed: dryRun ? 777 : 0 }));
    const body = queryJob('dry', 'SELECT 1');
    const res = await call('POST', api('/jobs'), { ...body, configuration: { ...body.configuration, dryRun: true } });
    expect(res.json).toMatchObject({ status: { state: 'DONE' }, statistics: { totalBytesProcessed: '777' } });
    expect(res.json?.['jobReference'].jobId).toBeUndefined();
    expect((await call('GET', api('/jobs/dry?location=asia-east1'))).status).toBe(404);
    expect(fake.jobs[0]?.dryRun).toBe(true);
  });

  it('hides a job outside the US from a lookup without its location, and refuses a second insert of an id', async () => {
    await call('POST', api('/jobs'), queryJob('loc', 'SELECT 1'));
    expect((await call('GET', api('/jobs/loc'))).status).toBe(404);
    expect((await call('GET', api('/jobs/loc?location=asia-east1'))).status).toBe(200);
    expect((await call('POST', api('/jobs'), queryJob('loc', 'SELECT 2'))).status).toBe(409);
  });

  it('finishes at once with pollsBeforeDone: 0', async () => {
    await fake.close();
    fake = await startFakeBigQuery({ pollsBeforeDone: 0 });
    expect((await call('POST', api('/jobs'), queryJob('now', 'SELECT 1'))).json?.['status']).toEqual({ state: 'DONE' });
  });
});

describe('failure injection', () => {
  it.each([
    [429, 'rateLimitExceeded', 'RESOURCE_EXHAUSTED'],
    [500, 'backendError', 'INTERNAL'],
    [503, 'backendError', 'UNAVAILABLE'],
    [403, 'rateLimitExceeded', 'PERMISSION_DENIED'],
  ])('answers %i (%s) for the next N calls, then serves normally', async (status, reason, name) => {
    fake.failNext(2, { status, reason });
    for (let i = 0; i < 2; i++) {
      const res = await call('GET', api('/datasets'));
      expect(res.status).toBe(status);
      expect(res.json?.['error']).toMatchObject({ code: status, status: name, errors: [{ reason }] });
    }
    expect((await call('GET', api('/datasets'))).status).toBe(200);
  });

  it('fails only matching requests, and can act before answering the error', async () => {
    fake.failNext(1, { status: 503, afterHandling: true, match: (r) => r.method === 'POST' && r.path.endsWith('/jobs') });
    await call('GET', api('/datasets'));
    const lost = await call('POST', api('/jobs'), { jobReference: { projectId: P, jobId: 'j1' }, configuration: { query: { query: 'SELECT 1' } } });
    expect(lost.status).toBe(503);
    expect(fake.job('j1')).toBeDefined();
    expect((await call('POST', api('/jobs'), { jobReference: { projectId: P, jobId: 'j1' }, configuration: { query: { query: 'SELECT 1' } } })).status).toBe(409);
  });
});

describe('wire helpers', () => {
  it.each([
    [{ name: 'x', type: 'TIMESTAMP' }, new Date('2025-01-01T00:00:00Z'), true, '1735689600000000'],
    [{ name: 'x', type: 'TIMESTAMP' }, new Date('2025-01-01T00:00:00Z'), false, '1.7356896e+9'],
    [{ name: 'x', type: 'DATE' }, new Date('2025-01-01T00:00:00Z'), true, '2025-01-01'],
    [{ name: 'x', type: 'INT64' }, 42, true, '42'],
    [{ name: 'x', type: 'BOOL' }, false, true, 'false'],
    [{ name: 'x', type: 'NUMERIC' }, '12.50', true, '12.50'],
  ])('encodes %o %o (int64 timestamps: %s) as %s', (field, value, int64, expected) => {
    expect(encodeCell(field, value, int64)).toEqual({ v: expected });
  });

  it('encodes repeated and record cells nested', () => {
    const field = { name: 'r', type: 'RECORD', mode: 'REPEATED' as const, fields: [{ name: 'a', type: 'STRING' }] };
    expect(encodeCell(field, [{ a: 'x' }], true)).toEqual({ v: [{ v: { f: [{ v: 'x' }] } }] });
  });

  it('splits a multipart/related body with binary-safe parts', () => {
    const body = Buffer.from('--zz\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--zz\r\nContent-Type: text/plain\r\n\r\nline1\r\nline2\n\r\n--zz--');
    const parts = parseMultipartRelated('multipart/related; boundary=zz', body);
    expect(parts.map((p) => [p.headers['content-type'], p.body.toString()])).toEqual([
      ['application/json', '{"a":1}'],
      ['text/plain', 'line1\r\nline2\n'],
    ]);
  });

  it('reads blank lines as nothing and reports the failing row position', () => {
    expect(checkLoadRows('\n{"id":"a"}\n\n', schema)).toEqual({ rows: [{ id: 'a' }] });
    expect(checkLoadRows('{"id":"a"}\n{"id":null}\n', schema)).toEqual({ error: expect.stringMatching(/Rows: 2; row starting at position 11: Missing required field: id/) });
  });
});
