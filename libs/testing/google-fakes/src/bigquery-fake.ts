import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkLoadRows } from './bigquery-load.js';
import {
  decodeQueryParameters,
  encodeRows,
  googleErrorBody,
  HttpError,
  parseMultipartRelated,
  type DatasetReference,
  type ErrorProto,
  type JobReference,
  type QueryParameter,
  type TableFieldSchema,
  type TableReference,
  type TableSchema,
} from './bigquery-wire.js';

export { checkLoadRows } from './bigquery-load.js';
export {
  encodeRows,
  googleErrorBody,
  parseMultipartRelated,
  type DatasetReference,
  type ErrorProto,
  type JobReference,
  type QueryParameter,
  type TableFieldSchema,
  type TableReference,
  type TableSchema,
} from './bigquery-wire.js';

/**
 * A local HTTP server speaking enough of BigQuery v2 REST for the real
 * `@google-cloud/bigquery` client: datasets, tables, load jobs (multipart and resumable
 * uploads, or gs:// sources), query jobs (incl. dry runs), jobs.get and getQueryResults.
 *
 * It does not run SQL. A query job records its text, parameters and configuration and
 * answers with what `onQuery` scripts (rows, an error, bytes processed) or an empty
 * result. Load jobs do check their NDJSON against the schema, so an encoding mistake
 * fails like it would on BigQuery.
 */

export interface RecordedBigQueryRequest {
  method: string;
  /** Path without the query string, e.g. `/bigquery/v2/projects/p/jobs`. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  /** Parsed JSON body, `{ metadata, data }` for a multipart upload, raw text otherwise, undefined if empty. */
  body: unknown;
}

export type JobKind = 'query' | 'load' | 'copy' | 'extract';

export interface FakeJobStatus {
  state: 'PENDING' | 'RUNNING' | 'DONE';
  errorResult?: ErrorProto;
  errors?: ErrorProto[];
}

export interface FakeBigQueryJob {
  jobReference: Required<JobReference>;
  kind: JobKind;
  /** The `configuration` object as the client sent it. */
  configuration: Record<string, unknown> & {
    query?: Record<string, unknown> & { query?: string; queryParameters?: QueryParameter[] };
    load?: Record<string, unknown>;
    labels?: Record<string, string>;
    dryRun?: boolean;
  };
  /** Query text of a query job. */
  query: string | undefined;
  /** Named query parameters decoded to plain values (wire strings, arrays, null). */
  parameters: Record<string, unknown>;
  /** The media of an upload load job, as text. */
  data: string | undefined;
  dryRun: boolean;
  status: FakeJobStatus;
  statistics: Record<string, unknown>;
  /** Polls still to answer RUNNING. */
  pollsLeft: number;
  result: { schema: TableSchema; rows: Record<string, unknown>[] } | undefined;
  createdAt: Date;
}

export interface FakeDataset {
  reference: DatasetReference;
  resource: Record<string, unknown>;
}

export interface FakeTable {
  reference: TableReference;
  /** The table as tables.insert/patch left it, plus the fields the server adds. */
  resource: Record<string, unknown> & { schema?: TableSchema };
  /** Rows written by load jobs, as parsed from their NDJSON. */
  rows: Record<string, unknown>[];
}

/** What a scripted query answers. */
export interface QueryOutcome {
  schema?: TableFieldSchema[];
  rows?: Record<string, unknown>[];
  /** Makes the job finish DONE with this errorResult (the way SQL errors surface). */
  error?: { reason?: string; message: string };
  totalBytesProcessed?: number;
  numDmlAffectedRows?: number;
}

export interface QueryCall {
  jobId: string;
  sql: string;
  parameters: Record<string, unknown>;
  configuration: FakeBigQueryJob['configuration'];
  dryRun: boolean;
}

export type QueryHandler = (call: QueryCall) => QueryOutcome | undefined;

export interface InjectedFailure {
  status: number;
  reason?: string;
  message?: string;
  /** Only requests this accepts consume the failure; default: any request. */
  match?: (request: RecordedBigQueryRequest) => boolean;
  /**
   * Handle the request first, then answer the error: a response lost after the server
   * acted (a retried jobs.insert then meets its own job: 409).
   */
  afterHandling?: boolean;
}

export interface FakeBigQueryOptions {
  /** jobs.get / getQueryResults calls a job answers RUNNING before DONE (default 1). */
  pollsBeforeDone?: number;
  /** Location of datasets created without one (default `US`). */
  defaultLocation?: string;
  /** Reads `gs://bucket/name` for load jobs with sourceUris; wire a Storage fake here. */
  readGcsObject?: (bucket: string, name: string) => Promise<Buffer | string | undefined> | Buffer | string | undefined;
}

export interface FakeBigQueryClientOptions {
  projectId: string;
  apiEndpoint: string;
  /** Answers every auth question without a network call. */
  authClient: unknown;
  /** One retry layer at a time: the code under test owns retries. */
  autoRetry: false;
}

export interface FakeBigQuery {
  /** `http://127.0.0.1:<port>`: pass as `apiEndpoint` to `new BigQuery()`. */
  readonly apiEndpoint: string;
  readonly requests: RecordedBigQueryRequest[];
  readonly jobs: FakeBigQueryJob[];
  readonly datasets: Map<string, FakeDataset>;
  readonly tables: Map<string, FakeTable>;
  /** The next `count` matching requests answer `failure.status`. */
  failNext(count: number, failure: InjectedFailure): void;
  /** Scripts the answers of query jobs; undefined answers fall back to an empty result. */
  onQuery(handler: QueryHandler | undefined): void;
  dataset(projectId: string, datasetId: string): FakeDataset | undefined;
  table(projectId: string, datasetId: string, tableId: string): FakeTable | undefined;
  job(jobId: string): FakeBigQueryJob | undefined;
  /** Options for `new BigQuery(...)` that reach this server with no credentials. */
  clientOptions(projectId: string): FakeBigQueryClientOptions;
  /** Forgets requests and jobs (datasets and tables stay). */
  clearLog(): void;
  close(): Promise<void>;
}

/** An auth client that never talks to a metadata server or a token endpoint. */
export function fakeGoogleAuthClient(projectId: string) {
  return {
    getRequestHeaders: async () => new Headers(),
    getAccessToken: async () => ({ token: 'fake-token' }),
    getProjectId: async () => projectId,
    getCredentials: async () => ({ client_email: 'fake@example.iam.gserviceaccount.com' }),
    getUniverseDomain: async () => 'googleapis.com',
    universeDomain: 'googleapis.com',
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const API = '/bigquery/v2/projects/';
const UPLOAD = '/upload/bigquery/v2/projects/';

interface Route {
  method: string;
  pattern: RegExp;
  handle(request: RecordedBigQueryRequest, params: string[], exchange: Exchange): Promise<unknown>;
}

/** The raw side of one HTTP exchange, for the upload routes. */
interface Exchange {
  raw: Buffer;
  res: ServerResponse;
  contentRange: string | undefined;
}

interface ResumableSession {
  projectId: string;
  metadata: Record<string, unknown>;
  chunks: Buffer[];
  received: number;
}

export async function startFakeBigQuery(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  const pollsBeforeDone = options.pollsBeforeDone ?? 1;
  const defaultLocation = options.defaultLocation ?? 'US';
  const requests: RecordedBigQueryRequest[] = [];
  const jobs: FakeBigQueryJob[] = [];
  const jobsById = new Map<string, FakeBigQueryJob>();
  const datasets = new Map<string, FakeDataset>();
  const tables = new Map<string, FakeTable>();
  const failures: InjectedFailure[] = [];
  const sessions = new Map<string, ResumableSession>();
  let queryHandler: QueryHandler | undefined;
  let apiEndpoint = '';

  const datasetKey = (p: string, d: string) => `${p}.${d}`;
  const tableKey = (p: string, d: string, t: string) => `${p}.${d}.${t}`;

  const requireDataset = (p: string, d: string) => {
    const found = datasets.get(datasetKey(p, d));
    if (!found) throw new HttpError(404, `Not found: Dataset ${p}:${d}`);
    return found;
  };
  const requireTable = (p: string, d: string, t: string) => {
    requireDataset(p, d);
    const found = tables.get(tableKey(p, d, t));
    if (!found) throw new HttpError(404, `Not found: Table ${p}:${d}.${t}`);
    return found;
  };

  const tableView = (table: FakeTable) => ({
    ...table.resource,
    numRows: String(table.rows.length),
    numBytes: String(Buffer.byteLength(table.rows.map((r) => JSON.stringify(r)).join('\n'))),
  });

  function createTable(reference: TableReference, resource: Record<string, unknown>): FakeTable {
    const now = String(Date.now());
    const dataset = requireDataset(reference.projectId, reference.datasetId);
    const table: FakeTable = {
      reference,
      resource: {
        ...resource,
        kind: 'bigquery#table',
        id: `${reference.projectId}:${reference.datasetId}.${reference.tableId}`,
        selfLink: `${apiEndpoint}${API}${reference.projectId}/datasets/${reference.datasetId}/tables/${reference.tableId}`,
        tableReference: reference,
        type: 'TABLE',
        creationTime: now,
        lastModifiedTime: now,
        location: dataset.resource['location'],
        etag: randomUUID(),
      },
      rows: [],
    };
    tables.set(tableKey(reference.projectId, reference.datasetId, reference.tableId), table);
    return table;
  }

  // ---------------------------------------------------------------------------------------
  // Jobs

  const jobView = (job: FakeBigQueryJob) => ({
    kind: 'bigquery#job',
    etag: job.jobReference.jobId,
    id: `${job.jobReference.projectId}:${job.jobReference.location}.${job.jobReference.jobId}`,
    selfLink: `${apiEndpoint}${API}${job.jobReference.projectId}/jobs/${job.jobReference.jobId}?location=${job.jobReference.location}`,
    user_email: 'fake@example.iam.gserviceaccount.com',
    jobReference: job.jobReference,
    configuration: { ...job.configuration, jobType: job.kind.toUpperCase() },
    status: job.status.state === 'DONE' ? job.status : { state: job.status.state },
    statistics: job.statistics,
  });

  /** Every look at a running job brings it one step closer to DONE. */
  const poll = (job: FakeBigQueryJob) => {
    if (job.status.state !== 'DONE') {
      if (job.pollsLeft > 0) job.pollsLeft -= 1;
      else finish(job);
    }
  };

  const finalStatus = new WeakMap<FakeBigQueryJob, FakeJobStatus>();
  const finish = (job: FakeBigQueryJob) => {
    job.status = finalStatus.get(job) ?? { state: 'DONE' };
    job.statistics['endTime'] = String(Date.now());
  };

  const failJob = (job: FakeBigQueryJob, reason: string, message: string) => {
    const error = { reason, message, location: '' };
    finalStatus.set(job, { state: 'DONE', errorResult: error, errors: [error] });
  };

  const findJob = (projectId: string, jobId: string, location: string | undefined) => {
    const job = jobsById.get(jobId);
    // A job outside the US multi-region is invisible without its location, as on BigQuery.
    const visible =
      job &&
      !job.dryRun &&
      job.jobReference.projectId === projectId &&
      (location ?? 'US').toLowerCase() === job.jobReference.location.toLowerCase();
    if (!visible) throw new HttpError(404, `Not found: Job ${projectId}:${location ?? 'US'}.${jobId}`);
    return job;
  };

  function jobKind(configuration: Record<string, unknown>): JobKind {
    for (const kind of ['query', 'load', 'copy', 'extract'] as const) if (configuration[kind]) return kind;
    throw new HttpError(400, 'Job configuration must contain exactly one job-specific configuration object');
  }

  async function insertJob(projectId: string, body: Record<string, unknown>, data: Buffer | undefined) {
    const configuration = (body['configuration'] ?? {}) as FakeBigQueryJob['configuration'];
    const requested = (body['jobReference'] ?? {}) as Partial<JobReference>;
    const dryRun = configuration.dryRun === true;
    const jobId = requested.jobId ?? `job_${randomUUID().replace(/-/g, '_')}`;
    if (!/^[A-Za-z0-9_-]{1,1024}$/.test(jobId)) throw new HttpError(400, `Invalid job ID "${jobId}"`);
    if (!dryRun && jobsById.has(jobId)) throw new HttpError(409, `Already Exists: Job ${projectId}:${requested.location ?? 'US'}.${jobId}`);
    const kind = jobKind(configuration);
    const job: FakeBigQueryJob = {
      jobReference: { projectId, jobId, location: requested.location ?? defaultLocation },
      kind,
      configuration,
      query: kind === 'query' ? String(configuration.query?.query ?? '') : undefined,
      parameters: kind === 'query' ? decodeQueryParameters(configuration.query?.queryParameters) : {},
      data: data?.toString('utf8'),
      dryRun,
      status: { state: 'RUNNING' },
      statistics: { creationTime: String(Date.now()), startTime: String(Date.now()) },
      pollsLeft: pollsBeforeDone,
      result: undefined,
      createdAt: new Date(),
    };
    jobs.push(job);
    if (kind === 'query') runQuery(job);
    else if (kind === 'load') await runLoad(job);
    if (dryRun) {
      finish(job);
      const view = jobView(job);
      return { ...view, jobReference: { projectId, location: job.jobReference.location } };
    }
    jobsById.set(jobId, job);
    if (pollsBeforeDone === 0) finish(job);
    return jobView(job);
  }

  function runQuery(job: FakeBigQueryJob) {
    const sql = job.query ?? '';
    const outcome =
      queryHandler?.({ jobId: job.jobReference.jobId, sql, parameters: job.parameters, configuration: job.configuration, dryRun: job.dryRun }) ?? {};
    const statements = countStatements(sql);
    const bytes = String(outcome.totalBytesProcessed ?? 0);
    const query: Record<string, unknown> = {
      totalBytesProcessed: bytes,
      totalBytesBilled: job.dryRun ? '0' : bytes,
      cacheHit: false,
      statementType: statements > 1 ? 'SCRIPT' : firstKeyword(sql),
    };
    if (outcome.numDmlAffectedRows !== undefined) query['numDmlAffectedRows'] = String(outcome.numDmlAffectedRows);
    Object.assign(job.statistics, { totalBytesProcessed: bytes, query });
    if (statements > 1) job.statistics['numChildJobs'] = String(statements);
    const maximum = job.configuration.query?.['maximumBytesBilled'];
    if (outcome.error) failJob(job, outcome.error.reason ?? 'invalidQuery', outcome.error.message);
    else if (maximum !== undefined && Number(bytes) > Number(maximum)) {
      failJob(job, 'bytesBilledLimitExceeded', `Query exceeded limit for bytes billed: ${String(maximum)}. ${bytes} or higher required.`);
    } else {
      job.result = { schema: { fields: outcome.schema ?? [] }, rows: outcome.rows ?? [] };
    }
  }

  async function runLoad(job: FakeBigQueryJob) {
    const load = job.configuration.load as Record<string, unknown> & {
      destinationTable?: TableReference;
      sourceUris?: string[];
      schema?: TableSchema;
      writeDisposition?: string;
      createDisposition?: string;
      sourceFormat?: string;
    };
    const dest = load.destinationTable;
    if (!dest?.tableId) throw new HttpError(400, 'Load configuration must specify a destination table');
    const dataset = requireDataset(dest.projectId ?? job.jobReference.projectId, dest.datasetId);
    const ref = { ...dest, projectId: dest.projectId ?? job.jobReference.projectId };
    if (String(dataset.resource['location']).toLowerCase() !== job.jobReference.location.toLowerCase()) {
      failJob(job, 'invalid', `Cannot read and write in different locations: source: ${job.jobReference.location}, destination: ${String(dataset.resource['location'])}`);
      return;
    }
    let text: string;
    if (job.data !== undefined) text = job.data;
    else {
      const chunks: string[] = [];
      for (const uri of load.sourceUris ?? []) {
        const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
        const content = m && options.readGcsObject ? await options.readGcsObject(m[1] as string, m[2] as string) : undefined;
        if (content === undefined) {
          failJob(job, 'notFound', `Not found: URI ${uri}`);
          return;
        }
        chunks.push(typeof content === 'string' ? content : content.toString('utf8'));
      }
      text = chunks.join('');
    }
    let table = tables.get(tableKey(ref.projectId, ref.datasetId, ref.tableId));
    const schema = load.schema ?? table?.resource.schema;
    if ((load.sourceFormat ?? 'CSV') !== 'NEWLINE_DELIMITED_JSON') {
      failJob(job, 'invalid', `The fake only loads NEWLINE_DELIMITED_JSON, not ${load.sourceFormat ?? 'CSV'}`);
      return;
    }
    if (!schema) {
      failJob(job, 'invalid', 'No schema specified on job or table.');
      return;
    }
    const checked = checkLoadRows(text, schema);
    if ('error' in checked) {
      failJob(job, 'invalid', checked.error);
      return;
    }
    const write = load.writeDisposition ?? 'WRITE_APPEND';
    if (!table) {
      if ((load.createDisposition ?? 'CREATE_IF_NEEDED') === 'CREATE_NEVER') {
        failJob(job, 'notFound', `Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
        return;
      }
      table = createTable(ref, { schema });
    }
    if (write === 'WRITE_EMPTY' && table.rows.length > 0) {
      failJob(job, 'duplicate', `Already Exists: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
      return;
    }
    if (write === 'WRITE_TRUNCATE') {
      table.rows = checked.rows;
      table.resource.schema = schema;
    } else table.rows.push(...checked.rows);
    table.resource['lastModifiedTime'] = String(Date.now());
    job.statistics['load'] = {
      inputFiles: String(load.sourceUris?.length ?? 1),
      inputFileBytes: String(Buffer.byteLength(text)),
      outputRows: String(checked.rows.length),
      outputBytes: String(Buffer.byteLength(text)),
      badRecords: '0',
    };
  }

  // ---------------------------------------------------------------------------------------
  // Routes

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets$/,
      async handle(req, [p]) {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const ref = body['datasetReference'] as DatasetReference | undefined;
        if (!ref?.datasetId) throw new HttpError(400, 'Dataset reference is missing');
        if (!/^[A-Za-z0-9_]{1,1024}$/.test(ref.datasetId)) throw new HttpError(400, `Invalid dataset ID "${ref.datasetId}"`);
        const projectId = ref.projectId ?? (p as string);
        if (datasets.has(datasetKey(projectId, ref.datasetId))) throw new HttpError(409, `Already Exists: Dataset ${projectId}:${ref.datasetId}`);
        const now = String(Date.now());
        const dataset: FakeDataset = {
          reference: { projectId, datasetId: ref.datasetId },
          resource: {
            ...body,
            kind: 'bigquery#dataset',
            id: `${projectId}:${ref.datasetId}`,
            datasetReference: { projectId, datasetId: ref.datasetId },
            location: body['location'] ?? defaultLocation,
            creationTime: now,
            lastModifiedTime: now,
            etag: randomUUID(),
          },
        };
        datasets.set(datasetKey(projectId, ref.datasetId), dataset);
        return dataset.resource;
      },
    },
    {
      method: 'GET',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets$/,
      async handle(_req, [p]) {
        const list = [...datasets.values()].filter((d) => d.reference.projectId === p);
        return {
          kind: 'bigquery#datasetList',
          datasets: list.map((d) => ({ kind: 'bigquery#dataset', id: d.resource['id'], datasetReference: d.reference, location: d.resource['location'], labels: d.resource['labels'] })),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)$/,
      async handle(_req, [p, d]) {
        return requireDataset(p as string, d as string).resource;
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)$/,
      async handle(req, [p, d]) {
        requireDataset(p as string, d as string);
        const inside = [...tables.values()].filter((t) => t.reference.projectId === p && t.reference.datasetId === d);
        if (inside.length > 0 && req.query['deleteContents'] !== 'true') {
          throw new HttpError(400, `Dataset ${p}:${d} is still in use`, 'resourceInUse');
        }
        for (const t of inside) tables.delete(tableKey(p as string, d as string, t.reference.tableId));
        datasets.delete(datasetKey(p as string, d as string));
        return undefined;
      },
    },
    {
      method: 'POST',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/,
      async handle(req, [p, d]) {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const ref = body['tableReference'] as Partial<TableReference> | undefined;
        if (!ref?.tableId) throw new HttpError(400, 'Table reference is missing');
        if (!/^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd} ]{1,1024}$/u.test(ref.tableId)) throw new HttpError(400, `Invalid table ID "${ref.tableId}"`);
        requireDataset(p as string, d as string);
        if (tables.has(tableKey(p as string, d as string, ref.tableId))) {
          throw new HttpError(409, `Already Exists: Table ${p}:${d}.${ref.tableId}`);
        }
        return tableView(createTable({ projectId: p as string, datasetId: d as string, tableId: ref.tableId }, body));
      },
    },
    {
      method: 'GET',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/,
      async handle(_req, [p, d]) {
        requireDataset(p as string, d as string);
        const list = [...tables.values()].filter((t) => t.reference.projectId === p && t.reference.datasetId === d);
        return {
          kind: 'bigquery#tableList',
          totalItems: list.length,
          tables: list.map((t) => ({
            kind: 'bigquery#table',
            id: t.resource['id'],
            tableReference: t.reference,
            type: 'TABLE',
            timePartitioning: t.resource['timePartitioning'],
            clustering: t.resource['clustering'],
            labels: t.resource['labels'],
            expirationTime: t.resource['expirationTime'],
          })),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/,
      async handle(_req, [p, d, t]) {
        return tableView(requireTable(p as string, d as string, t as string));
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/,
      async handle(req, [p, d, t]) {
        const table = requireTable(p as string, d as string, t as string);
        const body = (req.body ?? {}) as Record<string, unknown> & { schema?: TableSchema };
        if (body.schema) {
          const before = new Map((table.resource.schema?.fields ?? []).map((f) => [f.name, f]));
          for (const field of body.schema.fields) {
            const old = before.get(field.name);
            if (!old && field.mode === 'REQUIRED') throw new HttpError(400, `Provided Schema does not match Table ${p}:${d}.${t}. Cannot add required fields to an existing schema. (field: ${field.name})`);
            if (old && old.type !== field.type) throw new HttpError(400, `Provided Schema does not match Table ${p}:${d}.${t}. Field ${field.name} has changed type from ${old.type} to ${field.type}`);
          }
          for (const name of before.keys()) {
            if (!body.schema.fields.some((f) => f.name === name)) throw new HttpError(400, `Provided Schema does not match Table ${p}:${d}.${t}. Field ${name} is missing in new schema`);
          }
        }
        Object.assign(table.resource, body, { lastModifiedTime: String(Date.now()), etag: randomUUID() });
        return tableView(table);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/,
      async handle(_req, [p, d, t]) {
        requireTable(p as string, d as string, t as string);
        tables.delete(tableKey(p as string, d as string, t as string));
        return undefined;
      },
    },
    {
      method: 'POST',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/jobs$/,
      async handle(req, [p]) {
        return insertJob(p as string, (req.body ?? {}) as Record<string, unknown>, undefined);
      },
    },
    {
      method: 'GET',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/,
      async handle(req, [p, id]) {
        const job = findJob(p as string, id as string, req.query['location']);
        poll(job);
        return jobView(job);
      },
    },
    {
      method: 'POST',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)\/cancel$/,
      async handle(req, [p, id]) {
        const job = findJob(p as string, id as string, req.query['location']);
        if (job.status.state !== 'DONE') {
          failJob(job, 'stopped', 'Job execution was cancelled: User requested cancellation');
          finish(job);
        }
        return { kind: 'bigquery#jobCancelResponse', job: jobView(job) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/,
      async handle(req, [p, id]) {
        const job = findJob(p as string, id as string, req.query['location']);
        poll(job);
        const base = { kind: 'bigquery#getQueryResultsResponse', etag: randomUUID(), jobReference: job.jobReference };
        if (job.status.state !== 'DONE') return { ...base, jobComplete: false };
        if (job.status.errorResult) throw new HttpError(400, job.status.errorResult.message, job.status.errorResult.reason);
        const result = job.result ?? { schema: { fields: [] }, rows: [] };
        const start = Number(req.query['pageToken'] ?? req.query['startIndex'] ?? 0);
        const max = req.query['maxResults'] === undefined ? result.rows.length : Number(req.query['maxResults']);
        const page = result.rows.slice(start, start + max);
        const next = start + page.length;
        const useInt64 = req.query['formatOptions.useInt64Timestamp'] === 'true';
        return {
          ...base,
          schema: result.schema,
          totalRows: String(result.rows.length),
          rows: encodeRows(result.schema, page, useInt64),
          ...(next < result.rows.length ? { pageToken: String(next) } : {}),
          totalBytesProcessed: job.statistics['totalBytesProcessed'],
          jobComplete: true,
          cacheHit: false,
          ...((job.statistics['query'] as Record<string, unknown> | undefined)?.['numDmlAffectedRows'] !== undefined
            ? { numDmlAffectedRows: (job.statistics['query'] as Record<string, unknown>)['numDmlAffectedRows'] }
            : {}),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/,
      async handle(req, [p], { raw, res }) {
        const uploadType = req.query['uploadType'];
        if (uploadType === 'multipart') {
          const { metadata, data } = req.body as { metadata: Record<string, unknown>; data: Buffer };
          return insertJob(p as string, metadata, data);
        }
        if (uploadType === 'resumable') {
          const id = randomUUID();
          sessions.set(id, { projectId: p as string, metadata: JSON.parse(raw.toString('utf8') || '{}'), chunks: [], received: 0 });
          res.setHeader('Location', `${apiEndpoint}${UPLOAD}${p}/jobs?uploadType=resumable&upload_id=${id}`);
          return undefined;
        }
        throw new HttpError(400, `Unsupported uploadType ${String(uploadType)}`);
      },
    },
    {
      method: 'PUT',
      pattern: /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/,
      async handle(req, _params, { raw, res, contentRange }) {
        const id = req.query['upload_id'];
        const session = id === undefined ? undefined : sessions.get(id);
        if (!session || id === undefined) throw new HttpError(404, `No upload session ${String(id)}`);
        // `Content-Range: bytes a-b/total` (or `*` while more is to come); none = the whole media at once.
        const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(contentRange ?? '');
        if (range?.[1] !== undefined && Number(range[1]) !== session.received) {
          throw new HttpError(400, `Chunk starts at ${range[1]}, expected ${session.received}`);
        }
        session.chunks.push(raw);
        session.received += raw.length;
        const total = range?.[3];
        if (range && (total === '*' || Number(total) > session.received)) {
          res.statusCode = 308;
          if (session.received > 0) res.setHeader('Range', `bytes=0-${session.received - 1}`);
          return undefined;
        }
        sessions.delete(id);
        return insertJob(session.projectId, session.metadata, Buffer.concat(session.chunks));
      },
    },
  ];

  // ---------------------------------------------------------------------------------------
  // Server

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.statusCode === 308) {
      res.end();
      return;
    }
    if (body === undefined) {
      res.writeHead(status === 200 && res.getHeader('Location') === undefined ? 204 : status);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  function parseBody(contentType: string | undefined, raw: Buffer): unknown {
    if (raw.length === 0) return undefined;
    if (contentType?.startsWith('multipart/related')) {
      const [meta, media] = parseMultipartRelated(contentType, raw);
      if (!meta || !media) throw new HttpError(400, 'multipart upload needs metadata and media parts');
      return { metadata: JSON.parse(meta.body.toString('utf8')), data: media.body };
    }
    if (contentType?.includes('json')) return JSON.parse(raw.toString('utf8'));
    return raw.toString('utf8');
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const query = Object.fromEntries(url.searchParams);
      const raw = await readBody(req);
      const contentType = req.headers['content-type'];
      const contentRange = req.headers['content-range'];
      const request: RecordedBigQueryRequest = { method: req.method ?? 'GET', path: url.pathname, query, contentType, body: undefined };
      try {
        request.body = parseBody(contentType, raw);
      } catch (err) {
        request.body = raw.toString('utf8');
        requests.push(request);
        const status = err instanceof HttpError ? err.status : 400;
        send(res, status, googleErrorBody(status, (err as Error).message));
        return;
      }
      // The log keeps what a test wants to read: the media of an upload as text.
      const logged = request.body as { metadata?: unknown; data?: Buffer } | undefined;
      requests.push(
        logged && Buffer.isBuffer(logged.data) ? { ...request, body: { metadata: logged.metadata, data: logged.data.toString('utf8') } } : request,
      );
      const failureIndex = failures.findIndex((f) => f.match?.(request) ?? true);
      const failure = failureIndex === -1 ? undefined : failures.splice(failureIndex, 1)[0];
      if (failure && !failure.afterHandling) {
        send(res, failure.status, googleErrorBody(failure.status, failure.message ?? `injected ${failure.status}`, failure.reason));
        return;
      }
      try {
        const route = routes.find((r) => r.method === request.method && r.pattern.test(request.path));
        if (!route) throw new HttpError(404, `Not found: ${request.method} ${request.path}`);
        const params = (route.pattern.exec(request.path) ?? []).slice(1).map(decodeURIComponent);
        const body = await route.handle(request, params, { raw, res, contentRange });
        if (failure) send(res, failure.status, googleErrorBody(failure.status, failure.message ?? `injected ${failure.status}`, failure.reason));
        else send(res, 200, body);
      } catch (err) {
        if (err instanceof HttpError) send(res, err.status, googleErrorBody(err.status, err.message, err.reason));
        else send(res, 500, googleErrorBody(500, `fake BigQuery failed: ${(err as Error).message}`));
      }
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiEndpoint,
    requests,
    jobs,
    datasets,
    tables,
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    onQuery(handler) {
      queryHandler = handler;
    },
    dataset: (p, d) => datasets.get(datasetKey(p, d)),
    table: (p, d, t) => tables.get(tableKey(p, d, t)),
    job: (id) => jobsById.get(id),
    clientOptions: (projectId) => ({ projectId, apiEndpoint, authClient: fakeGoogleAuthClient(projectId), autoRetry: false }),
    clearLog() {
      requests.length = 0;
      jobs.length = 0;
      jobsById.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Statements of a script, counted the way a test needs: top-level `;`-terminated lines. */
function countStatements(sql: string): number {
  const withoutComments = sql.replace(/--[^\n]*/g, '');
  return withoutComments.split(/;\s*(?:\n|$)/).filter((s) => s.trim() !== '').length;
}

function firstKeyword(sql: string): string {
  const word = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';
  return word === 'WITH' ? 'SELECT' : word;
}
