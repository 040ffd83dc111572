import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BigQuery,
  BigQueryDate,
  BigQueryTimestamp,
  type JobMetadata,
  type QueryParameter,
  type Table,
  type TableField,
  type TableMetadata,
} from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import {
  isDomain,
  REPORT_CONTRACTS,
  type Domain,
  type FileLoadRequest,
  type FileLoadResult,
  type FileOutcome,
  type LedgerEntry,
  type SourceFileInfo,
  type Warehouse,
} from '@sp01/contracts';
import { errorMessage, GOOGLE_RETRY_POLICY, httpStatusOf, silentLogger, withRetry, type Logger, type RetryPolicy } from '@sp01/core';
import { createJobRunner, type JobConfiguration, type JobRunner } from './bigquery-jobs.js';
import { buildLedgerMerge, buildLedgerQuery, buildLoadScript, scriptParameters } from './load-script.js';
import {
  businessDateColumn,
  recordColumns,
  REJECT_STAGE_FIELDS,
  rawTableSpecs,
  stageFields,
  tableResource,
  type BigQueryField,
  type RawTableSpec,
} from './raw-tables.js';
import { DateRange, NdjsonSpool, stageRecord, stageReject } from './stage-rows.js';

export interface BigQueryWarehouseOptions {
  /** Project that holds the datasets and runs (and pays for) the jobs. */
  projectId: string;
  /** The raw dataset is `<prefix>raw` (default `raw`); lower-case letters, digits and `_`. */
  datasetPrefix?: string;
  /** Dataset and job location, e.g. `asia-east1`; BigQuery's default (US) when unset. */
  location?: string;
  /** Stage files through `gs://<bucket>/<stagingPrefix>…` instead of uploading them with the load job. */
  stagingBucket?: string;
  /** Object name prefix in the staging bucket (default `sp01-staging/`). */
  stagingPrefix?: string;
  /** Upper bound of bytes billed per query job; a job over it fails instead of costing more. */
  maximumBytesBilled?: number | bigint | string;
  /** Labels on the dataset, tables and every job, besides `app=sp01` (and run_id, domain, step on jobs). */
  labels?: Record<string, string>;
  /** Clients to use; built from projectId/location/apiEndpoint when absent. */
  bigquery?: BigQuery;
  storage?: Storage;
  /** BigQuery endpoint of the built client, e.g. a local fake (`http://127.0.0.1:9050`). */
  apiEndpoint?: string;
  /** Retries of every API call (inserts, polls, table and object calls); default GOOGLE_RETRY_POLICY. */
  retry?: RetryPolicy;
  logger?: Logger;
  /** Where a file's NDJSON is spooled before it is sent; default the OS temp dir. */
  tempDir?: string;
  /** How long a staging table outlives a crashed load before BigQuery drops it (default 1 day). */
  stagingExpirationMs?: number;
  /** Polling of running jobs: first wait and longest wait, ms (default 250 → 4000). */
  jobPoll?: { initialMs: number; maxMs: number };
}

export type QueryValue = string | number | bigint | boolean | Date;

export interface BigQueryWarehouse extends Warehouse {
  readonly kind: 'bigquery';
  readonly projectId: string;
  /** The raw dataset: `raw`, or `<prefix>raw`. */
  readonly dataset: string;
  /**
   * Runs one query outside any load (e.g. to read the raw tables) with the warehouse's
   * labels and byte limit. Values come back as on PostgreSQL: INT64 as numbers,
   * TIMESTAMP as Date, DATE as `YYYY-MM-DD`, NUMERIC as decimal strings.
   */
  query<T extends object = Record<string, unknown>>(sql: string, params?: Record<string, QueryValue>): Promise<T[]>;
}

const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;

/** A label value BigQuery takes: lower case, letters, digits, `_` and `-`, at most 63. */
export function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}

function checkLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key)) throw new Error(`invalid BigQuery label key ${JSON.stringify(key)}: lower-case letters, digits, _ and -, starting with a letter`);
    out[key] = labelValue(value);
  }
  return out;
}

/** A run id as a table or job name part: `20250325T120000Z-a1b2c3` → `20250325t120000z_a1b2c3`. */
function nameTag(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
}

type ParamType = 'STRING' | 'INT64' | 'TIMESTAMP' | 'DATE' | 'BOOL' | 'FLOAT64' | 'NUMERIC';

function parameter(name: string, type: ParamType, value: string | null): QueryParameter {
  return { name, parameterType: { type }, parameterValue: value === null ? {} : { value } };
}

function inferredParameter(name: string, value: QueryValue): QueryParameter {
  if (value instanceof Date) return parameter(name, 'TIMESTAMP', value.toISOString());
  if (typeof value === 'bigint') return parameter(name, 'INT64', value.toString());
  if (typeof value === 'boolean') return parameter(name, 'BOOL', String(value));
  if (typeof value === 'number') return parameter(name, Number.isInteger(value) ? 'INT64' : 'FLOAT64', String(value));
  return parameter(name, 'STRING', value);
}

/** Values of the client's result rows as the PostgreSQL warehouse returns them. */
function plainValue(value: unknown): unknown {
  if (value instanceof BigQueryTimestamp) return new Date(value.value);
  if (value instanceof BigQueryDate) return value.value;
  if (value !== null && typeof value === 'object' && value.constructor?.name === 'Big') return String(value);
  if (Array.isArray(value)) return value.map(plainValue);
  return value;
}

function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plainValue(v)]));
}

function toDate(value: unknown): Date {
  const plain = plainValue(value);
  return plain instanceof Date ? plain : new Date(String(plain));
}

function toLedgerEntry(row: Record<string, unknown>): LedgerEntry {
  const domain = row['domain'];
  return {
    sourceFile: String(row['source_file']),
    fileName: String(row['file_name']),
    domain: typeof domain === 'string' && isDomain(domain) ? domain : null,
    checksum: String(row['checksum']),
    modifiedAt: toDate(row['modified_at']),
    status: row['status'] as LedgerEntry['status'],
    rowsRead: Number(row['rows_read']),
    rowsLoaded: Number(row['rows_loaded']),
    rowsRejected: Number(row['rows_rejected']),
    error: row['error'] === null || row['error'] === undefined ? null : String(row['error']),
    runId: String(row['run_id']),
    firstSeenAt: toDate(row['first_seen_at']),
    updatedAt: toDate(row['updated_at']),
  };
}

/** Fields that differ in a way BigQuery cannot patch in place. */
function schemaDrift(spec: RawTableSpec, actual: readonly TableField[]) {
  const have = new Map(actual.map((f) => [f.name ?? '', f]));
  const sameType = (a: string | null | undefined, b: string) =>
    (a ?? '').toUpperCase().replace(/^INTEGER$/, 'INT64') === b.replace(/^INTEGER$/, 'INT64');
  const missing: BigQueryField[] = [];
  const problems: string[] = [];
  for (const f of spec.fields) {
    const found = have.get(f.name);
    if (!found) {
      if (f.mode === 'REQUIRED') problems.push(`${f.name} is missing and REQUIRED (BigQuery adds only NULLABLE columns)`);
      else missing.push(f);
    } else if (!sameType(found.type, f.type)) problems.push(`${f.name} is ${found.type ?? '?'}, the contract says ${f.type}`);
    else if ((found.mode ?? 'NULLABLE') !== f.mode && f.mode === 'REQUIRED') problems.push(`${f.name} is NULLABLE, the contract says REQUIRED`);
  }
  return { missing, problems };
}

/**
 * The raw layer on BigQuery. A file loads as: its rows spooled to local NDJSON (flat
 * memory, and a body that can be sent again), one load job into a per-file staging table
 * (WRITE_TRUNCATE, explicit schema; through GCS when a staging bucket is set), one more
 * for its rejects if it has any, then ONE multi-statement query whose transaction
 * upserts by natural key (newest export wins), replaces the file's rejects and writes its
 * ledger row; the staging tables are dropped whatever happened. No streaming inserts:
 * they could not be undone or repeated safely.
 */
export function createBigQueryWarehouse(options: BigQueryWarehouseOptions): BigQueryWarehouse {
  const prefix = options.datasetPrefix ?? '';
  if (!/^[a-z0-9_]*$/.test(prefix)) throw new Error(`datasetPrefix ${JSON.stringify(prefix)}: use lower-case letters, digits and _`);
  const projectId = options.projectId;
  const dataset = `${prefix}raw`;
  const location = options.location;
  const logger = options.logger ?? silentLogger;
  const retry = options.retry ?? GOOGLE_RETRY_POLICY;
  const baseLabels = checkLabels({ app: 'sp01', ...options.labels });
  const maximumBytesBilled = options.maximumBytesBilled === undefined ? undefined : String(options.maximumBytesBilled);
  if (maximumBytesBilled !== undefined && !/^\d+$/.test(maximumBytesBilled)) throw new Error(`maximumBytesBilled must be a whole number of bytes, not ${maximumBytesBilled}`);
  const stagingPrefix = options.stagingPrefix ?? 'sp01-staging/';
  const expirationMs = options.stagingExpirationMs ?? 24 * 60 * 60 * 1000;
  // One retry layer: the clients built here leave retrying to `retry`.
  const bigquery =
    options.bigquery ??
    new BigQuery({ projectId, ...(location ? { location } : {}), ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}), retryOptions: { autoRetry: false } });
  let storage = options.storage;
  const storageClient = () => (storage ??= new Storage({ projectId, retryOptions: { autoRetry: false } }));
  const jobs: JobRunner = createJobRunner({
    bigquery,
    projectId,
    location,
    retry,
    poll: options.jobPoll ?? { initialMs: 250, maxMs: 4000 },
    logger,
  });
  const call = <T>(operation: () => Promise<T>) => withRetry(operation, retry);
  const rawDataset = bigquery.dataset(dataset, location ? { location } : {});

  const jobLabels = (extra: Record<string, string>) => ({ ...baseLabels, ...checkLabels(extra) });

  function queryConfiguration(sql: string, parameters: QueryParameter[], labels: Record<string, string>): JobConfiguration {
    return {
      query: {
        query: sql,
        useLegacySql: false,
        ...(parameters.length > 0 ? { parameterMode: 'NAMED', queryParameters: parameters } : {}),
        ...(maximumBytesBilled !== undefined ? { maximumBytesBilled } : {}),
      },
      labels,
    };
  }

  const newJobId = (step: string) => `sp01_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}_${step}`;

  async function runQuery(sql: string, parameters: QueryParameter[], step: string): Promise<Record<string, unknown>[]> {
    const done = await jobs.run({ jobId: newJobId(step), configuration: queryConfiguration(sql, parameters, jobLabels({ step })) });
    const jobId = done.jobReference?.jobId ?? '';
    const job = bigquery.job(jobId, location ? { location } : {});
    const [rows] = await call(() => job.getQueryResults());
    return (rows as Record<string, unknown>[]).map(plainRow);
  }

  // ---------------------------------------------------------------------------------------
  // Migrations

  async function ensureDataset(): Promise<void> {
    try {
      const [metadata] = await call(() => rawDataset.getMetadata());
      const actual = String(metadata.location ?? '');
      if (location && actual.toLowerCase() !== location.toLowerCase()) {
        throw new Error(`dataset ${projectId}:${dataset} is in ${actual}, not ${location}: BigQuery cannot move a dataset, choose another prefix or location`);
      }
      return;
    } catch (err) {
      if (httpStatusOf(err) !== 404) throw err;
    }
    try {
      await call(() =>
        bigquery.createDataset(dataset, {
          ...(location ? { location } : {}),
          labels: baseLabels,
          description: 'SP01 raw layer: the back-office reports as loaded, one table per report, rejects and the file ledger',
        }),
      );
      logger.info('BigQuery dataset created', { dataset: `${projectId}:${dataset}`, location: location ?? 'US' });
    } catch (err) {
      // Created meanwhile by another run (or by an earlier try whose answer was lost).
      if (httpStatusOf(err) !== 409) throw err;
    }
  }

  async function ensureTable(spec: RawTableSpec): Promise<void> {
    const table = rawDataset.table(spec.tableId);
    let existing: TableMetadata | undefined;
    try {
      [existing] = await call(() => table.getMetadata());
    } catch (err) {
      if (httpStatusOf(err) !== 404) throw err;
    }
    if (!existing) {
      try {
        await call(() => rawDataset.createTable(spec.tableId, tableResource(spec, baseLabels)));
        logger.info('BigQuery table created', { table: `${dataset}.${spec.tableId}` });
      } catch (err) {
        if (httpStatusOf(err) !== 409) throw err;
      }
      return;
    }
    const fields: TableField[] = existing.schema?.fields ?? [];
    const { missing, problems } = schemaDrift(spec, fields);
    if (problems.length > 0) {
      throw new Error(`${dataset}.${spec.tableId} does not match its contract: ${problems.join('; ')}. Migrate it by hand (see the README).`);
    }
    if (missing.length > 0) {
      await call(() => table.setMetadata({ schema: { fields: [...fields, ...missing] } }));
      logger.info('BigQuery table columns added', { table: `${dataset}.${spec.tableId}`, columns: missing.map((f) => f.name) });
    }
  }

  // ---------------------------------------------------------------------------------------
  // Loads

  interface Spooled {
    rows: NdjsonSpool;
    rejects: NdjsonSpool;
    result: FileLoadResult;
    dates: DateRange;
  }

  async function spool(request: FileLoadRequest, dir: string): Promise<Spooled> {
    const columns = recordColumns(request.domain);
    const dateColumn = businessDateColumn(REPORT_CONTRACTS[request.domain]);
    const rows = new NdjsonSpool(join(dir, 'rows.ndjson'));
    const rejects = new NdjsonSpool(join(dir, 'rejects.ndjson'));
    const dates = new DateRange();
    let rowsLoaded = 0;
    let rowsRejected = 0;
    try {
      // for-await closes the source (a workbook half read) if anything below throws.
      for await (const row of request.rows) {
        const sheet = row.sheet || request.sheet;
        if (row.ok) {
          const staged = stageRecord(columns, row.record as Record<string, unknown>, sheet, row.rowNumber);
          if (dateColumn) dates.add(staged[dateColumn]);
          await rows.write(staged);
          rowsLoaded += 1;
        } else {
          const reasons = row.rejects.length > 0 ? row.rejects : [{ column: null, value: null, reason: 'rejected without a reason' }];
          for (const reject of reasons) await rejects.write(stageReject(rejects.lines + 1, sheet, row.rowNumber, reject));
          rowsRejected += 1;
        }
      }
    } catch (err) {
      await Promise.allSettled([rows.close(), rejects.close()]);
      throw err;
    }
    await rows.close();
    await rejects.close();
    return { rows, rejects, dates, result: { rowsRead: rowsLoaded + rowsRejected, rowsLoaded, rowsRejected } };
  }

  interface Cleanup {
    tables: Table[];
    objects: { bucket: string; name: string }[];
  }

  /** One staging table filled by one load job from a spool; checks BigQuery read every line. */
  async function stage(tableId: string, fields: readonly BigQueryField[], data: NdjsonSpool, labels: Record<string, string>, jobId: string, cleanup: Cleanup) {
    const table = rawDataset.table(tableId);
    cleanup.tables.push(table);
    try {
      await call(() =>
        rawDataset.createTable(tableId, {
          schema: { fields: [...fields] },
          expirationTime: String(Date.now() + expirationMs),
          labels: { ...labels, role: 'staging' },
          description: 'SP01 staging of one file: dropped once the load is done, expires if it is not',
        }),
      );
    } catch (err) {
      if (httpStatusOf(err) !== 409) throw err;
    }
    const load = {
      destinationTable: { projectId, datasetId: dataset, tableId },
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: { fields: [...fields] },
      writeDisposition: 'WRITE_TRUNCATE',
      createDisposition: 'CREATE_NEVER',
      ignoreUnknownValues: false,
      maxBadRecords: 0,
    };
    let done: JobMetadata;
    if (options.stagingBucket) {
      const bucket = options.stagingBucket;
      const name = `${stagingPrefix}${dataset}/${tableId}.ndjson`;
      cleanup.objects.push({ bucket, name });
      await call(() =>
        storageClient()
          .bucket(bucket)
          .upload(data.path, { destination: name, resumable: false, contentType: 'application/x-ndjson', metadata: { metadata: labels } }),
      );
      done = await jobs.run({ jobId, configuration: { load: { ...load, sourceUris: [`gs://${bucket}/${name}`] }, labels } });
    } else {
      done = await jobs.run({ jobId, configuration: { load, labels }, media: { path: data.path, bytes: data.bytes } });
    }
    const written = Number(done.statistics?.load?.outputRows ?? NaN);
    if (written !== data.lines) throw new Error(`staging load ${jobId} wrote ${written} rows of ${data.lines}`);
  }

  async function clean(cleanup: Cleanup, context: Record<string, unknown>) {
    const tasks = [
      ...cleanup.tables.map((table) => async () => {
        try {
          await call(() => table.delete());
        } catch (err) {
          if (httpStatusOf(err) !== 404) throw err;
        }
      }),
      ...cleanup.objects.map(({ bucket, name }) => async () => {
        try {
          await call(() => storageClient().bucket(bucket).file(name).delete());
        } catch (err) {
          if (httpStatusOf(err) !== 404) throw err;
        }
      }),
    ];
    for (const outcome of await Promise.allSettled(tasks.map((t) => t()))) {
      // The table expires and the object can be swept by a bucket rule; the load stands.
      if (outcome.status === 'rejected') logger.warn('staging not cleaned up', { ...context, error: errorMessage(outcome.reason) });
    }
  }

  function ledgerParameters(file: SourceFileInfo, entry: { domain: Domain | null; status: string; error: string | null; runId: string } & FileLoadResult) {
    return {
      source_file: parameter('source_file', 'STRING', file.id),
      source_modified_at: parameter('source_modified_at', 'TIMESTAMP', file.modifiedAt.toISOString()),
      run_id: parameter('run_id', 'STRING', entry.runId),
      domain: parameter('domain', 'STRING', entry.domain),
      file_name: parameter('file_name', 'STRING', file.name),
      source_uri: parameter('source_uri', 'STRING', file.uri),
      checksum: parameter('checksum', 'STRING', file.checksum),
      size_bytes: parameter('size_bytes', 'INT64', String(file.size)),
      status: parameter('status', 'STRING', entry.status),
      rows_read: parameter('rows_read', 'INT64', String(entry.rowsRead)),
      rows_loaded: parameter('rows_loaded', 'INT64', String(entry.rowsLoaded)),
      rows_rejected: parameter('rows_rejected', 'INT64', String(entry.rowsRejected)),
      error: parameter('error', 'STRING', entry.error),
    };
  }

  function parametersOf(sql: string, available: Record<string, QueryParameter>): QueryParameter[] {
    return scriptParameters(sql).map((name) => {
      const found = available[name];
      if (!found) throw new Error(`no value for query parameter @${name}`);
      return found;
    });
  }

  return {
    kind: 'bigquery',
    projectId,
    dataset,

    async migrate() {
      await ensureDataset();
      for (const spec of rawTableSpecs()) await ensureTable(spec);
      logger.debug('BigQuery raw dataset migrated', { dataset: `${projectId}:${dataset}` });
    },

    async ledgerEntry(sourceFile) {
      const rows = await runQuery(buildLedgerQuery(dataset), [parameter('source_file', 'STRING', sourceFile)], 'ledger');
      const [row] = rows;
      return row === undefined ? undefined : toLedgerEntry(row);
    },

    async loadFile(request) {
      if (!isDomain(request.domain)) throw new Error(`unknown domain ${JSON.stringify(request.domain)}`);
      const { file, domain, runId } = request;
      const started = Date.now();
      // Ids of this load: new for every call, the same across retries within it.
      const nonce = randomBytes(4).toString('hex');
      const fileTag = createHash('sha256').update(file.id).update('\0').update(nonce).digest('hex').slice(0, 12);
      const base = `${domain}_${nameTag(runId)}_${fileTag}`;
      const stageTable = `_stage_${base}`;
      const rejectStageTable = `_stage_${base}_rejects`;
      const labels = (step: string) => jobLabels({ run_id: runId, domain, step });
      const cleanup: Cleanup = { tables: [], objects: [] };
      const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'sp01-bigquery-'));
      const context = { file: file.id, domain, runId };
      try {
        const spooled = await spool(request, dir);
        const { result } = spooled;
        if (spooled.rows.lines > 0) await stage(stageTable, stageFields(domain), spooled.rows, labels('stage'), `sp01_${base}_stage`, cleanup);
        if (spooled.rejects.lines > 0) {
          await stage(rejectStageTable, REJECT_STAGE_FIELDS, spooled.rejects, labels('rejects'), `sp01_${base}_rejects`, cleanup);
        }
        const sql = buildLoadScript(domain, {
          dataset,
          ...(spooled.rows.lines > 0 ? { stageTable } : {}),
          ...(spooled.rejects.lines > 0 ? { rejectStageTable } : {}),
        });
        const available = {
          ...ledgerParameters(file, { ...result, domain, status: 'loaded', error: null, runId }),
          partition_min: parameter('partition_min', 'DATE', spooled.dates.min ?? null),
          partition_max: parameter('partition_max', 'DATE', spooled.dates.max ?? null),
        };
        const done = await jobs.run({ jobId: `sp01_${base}_merge`, configuration: queryConfiguration(sql, parametersOf(sql, available), labels('merge')) });
        logger.debug('file loaded', {
          ...context,
          ...result,
          businessDates: spooled.dates.min ? `${spooled.dates.min}..${spooled.dates.max}` : null,
          bytesProcessed: done.statistics?.totalBytesProcessed,
          ms: Date.now() - started,
        });
        return result;
      } catch (err) {
        logger.debug('file load abandoned: nothing merged', { ...context, error: errorMessage(err) });
        throw err;
      } finally {
        await clean(cleanup, context);
        await rm(dir, { recursive: true, force: true });
      }
    },

    async recordFileOutcome(file, outcome: FileOutcome) {
      const sql = buildLedgerMerge(dataset);
      const available = ledgerParameters(file, { ...outcome, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });
      await jobs.run({
        jobId: newJobId('outcome'),
        configuration: queryConfiguration(sql, parametersOf(sql, available), jobLabels({ run_id: outcome.runId, step: 'outcome', ...(outcome.domain ? { domain: outcome.domain } : {}) })),
      });
    },

    async query<T extends object = Record<string, unknown>>(sql: string, params: Record<string, QueryValue> = {}) {
      const parameters = Object.entries(params).map(([name, value]) => inferredParameter(name, value));
      return (await runQuery(sql, parameters, 'query')) as T[];
    },

    // The clients hold no pooled connections worth closing.
    close: async () => undefined,
  };
}
