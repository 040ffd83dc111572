import { randomUUID } from 'node:crypto';
import type { JobMetadata, TableMetadata } from '@google-cloud/bigquery';
import { BigQuery, BigQueryDate, BigQueryDatetime, BigQueryTime, BigQueryTimestamp } from '@google-cloud/bigquery';
import type { Logger, RetryPolicy } from '@sp01/core';
import { errorMessage, GOOGLE_RETRY_POLICY, httpStatusOf, silentLogger, withRetry } from '@sp01/core';
import type { Dialect, Relation } from '@sp01/modeling-compiler';
import type {
  AdapterCapabilities,
  AdapterResponse,
  AdapterSession,
  ColumnDef,
  DryRunResult,
  ExecuteOptions,
  ExecuteResult,
  ExistingRelation,
  RelationType,
  SqlBatch,
  SqlPlan,
  WarehouseAdapter,
} from '@sp01/modeling-executor';
import type { JobConfiguration, JobRunner } from './bigquery-jobs.js';
import { createJobRunner } from './bigquery-jobs.js';
import type { RelationPlacement } from './bigquery-relations.js';
import { physicalRelation, placedDialect } from './bigquery-relations.js';
import { formatBytes, onDemandCost, ON_DEMAND_USD_PER_TIB } from './bytes-budget.js';
import type { BigQueryExistingRelation } from './model-plans.js';
import type { TablePartitioning } from './partitioning.js';
import { dropRelationSql, incrementalPlan, schemaChangePlan, tablePlan, viewPlan } from './model-plans.js';
import type { SeedLoad } from './seed-load.js';
import { isSeedLoad, seedPlan } from './seed-load.js';
import { snapshotPlan } from './snapshot-plan.js';
import { freshnessQuery, testsQuery } from './test-queries.js';
import type { SchemaField } from './type-mapping.js';
import { convertType, fieldDataType } from './type-mapping.js';

export interface BigQueryAdapterOptions {
  /** Runs (and pays for) the jobs; relations without a database live here too. */
  projectId: string;
  /** Dataset and job location, e.g. `asia-east1`; BigQuery's default (US) when unset. */
  location?: string;
  /** Put in front of every dataset name (`<prefix>analytics_marts`, `<prefix>raw`), like the ETL's BIGQUERY_DATASET_PREFIX. */
  datasetPrefix?: string;
  /** Every query job fails instead of billing more than this many bytes. */
  maximumBytesBilled?: number | bigint | string;
  /** Labels on every job (and on datasets the adapter creates), besides dbt_invocation_id and node. */
  labels?: Record<string, string>;
  /** The client to use; built from projectId/location/apiEndpoint otherwise. */
  bigquery?: BigQuery;
  /** BigQuery endpoint of the built client, e.g. a local fake. */
  apiEndpoint?: string;
  /** Retries of every API call; default GOOGLE_RETRY_POLICY (429, 5xx, 403 rate limits). */
  retry?: RetryPolicy;
  logger?: Logger;
  /** The run's invocation id (the executor's, so job labels match run_results.json); random otherwise. */
  invocationId?: string;
  /** Polling of running jobs: first and longest wait, ms (default 250 → 4000). */
  jobPoll?: { initialMs: number; maxMs: number };
  /** On-demand price per TiB for {@link WarehouseAdapter.cost} (default 6.25 USD). */
  usdPerTiB?: number;
  /** Rows per getQueryResults page; BigQuery's own page size (about 10 MB) when unset. */
  resultPageSize?: number;
}

export interface BigQueryAdapter extends WarehouseAdapter {
  readonly type: 'bigquery';
  readonly projectId: string;
  readonly location: string | undefined;
  readonly invocationId: string;
  /** Where a logical relation lives: project filled in, dataset prefixed. */
  physicalRelation(relation: Relation): Relation & { database: string };
}

const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;

/** A label value BigQuery takes: lower case letters, digits, `_` and `-`, at most 63. */
export function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}

function checkedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key)) throw new Error(`invalid BigQuery label key ${JSON.stringify(key)}: lower-case letters, digits, _ and -, starting with a letter`);
    out[key] = labelValue(String(value));
  }
  return out;
}

const TYPES: Record<string, RelationType> = { TABLE: 'table', VIEW: 'view', MATERIALIZED_VIEW: 'materialized_view', EXTERNAL: 'external', SNAPSHOT: 'table' };

/** Query values as plain JS: TIMESTAMP → Date; DATE, DATETIME, TIME, NUMERIC → strings; INT64 → number when safe. */
function plainValue(value: unknown): unknown {
  if (value instanceof BigQueryTimestamp) return new Date(value.value);
  if (value instanceof BigQueryDate || value instanceof BigQueryDatetime || value instanceof BigQueryTime) return value.value;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object') {
    if (value.constructor?.name === 'Big') return String(value);
    if (Buffer.isBuffer(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

const safeInteger = { integerTypeCastFunction: (value: string) => (Number.isSafeInteger(Number(value)) ? Number(value) : value) };

const STATEMENT_CODES: Record<string, string> = { CREATE_VIEW: 'CREATE VIEW', CREATE_TABLE_AS_SELECT: 'CREATE TABLE', CREATE_TABLE: 'CREATE TABLE', DROP_TABLE: 'DROP TABLE', DROP_VIEW: 'DROP VIEW', ALTER_TABLE: 'ALTER TABLE' };

const ROWS_AFFECTED = 'dbt_rows_affected';
const DML = /^\s*(insert|update|delete|merge)\b/i;
const DECLARE = /^\s*declare\b/i;

/**
 * The text of the job one batch runs as. One statement runs as itself. Several run as one
 * script (temp tables and variables live for a script): declarations first, and after each
 * reporting DML statement its `@@row_count` is added up and selected at the end, so a
 * script reports rows affected like a single statement. An atomic batch with more than one
 * DML statement is wrapped in a transaction; the adapter's own plans never need that, since
 * each of their batches changes the target with one statement.
 */
export function batchScript(batch: SqlBatch): string {
  const statements = batch.statements.map((s) => ({ ...s, sql: s.sql.trim().replace(/;\s*$/, '') }));
  if (statements.length === 1) return (statements[0] as { sql: string }).sql;
  const declares = statements.filter((s) => DECLARE.test(s.sql));
  const body = statements.filter((s) => !DECLARE.test(s.sql));
  const reporting = body.some((s) => s.reports && DML.test(s.sql));
  const transaction = batch.atomic && body.filter((s) => DML.test(s.sql)).length > 1;
  const lines = [
    ...declares.map((s) => s.sql),
    ...(reporting ? [`declare ${ROWS_AFFECTED} int64 default 0`] : []),
    ...(transaction ? ['begin transaction'] : []),
    ...body.flatMap((s) => (s.reports && DML.test(s.sql) ? [s.sql, `set ${ROWS_AFFECTED} = ${ROWS_AFFECTED} + coalesce(@@row_count, 0)`] : [s.sql])),
    ...(transaction ? ['commit transaction'] : []),
    ...(reporting ? [`select ${ROWS_AFFECTED}`] : []),
  ];
  return `${lines.join(';\n\n')};`;
}

interface JobOutcome {
  response: AdapterResponse;
  rows: Record<string, unknown>[];
  schema: SchemaField[];
}

/** Creates the adapter; nothing is sent to BigQuery until the first call. */
export function createBigQueryAdapter(options: BigQueryAdapterOptions): BigQueryAdapter {
  const { projectId, location } = options;
  const placement: RelationPlacement = { projectId, datasetPrefix: options.datasetPrefix ?? '' };
  if (!/^[A-Za-z0-9_]*$/.test(placement.datasetPrefix)) throw new Error(`datasetPrefix ${JSON.stringify(placement.datasetPrefix)}: use letters, digits and _`);
  const dialect: Dialect = placedDialect(placement);
  const logger = options.logger ?? silentLogger;
  const retry = options.retry ?? GOOGLE_RETRY_POLICY;
  const invocationId = options.invocationId ?? randomUUID();
  const baseLabels = checkedLabels(options.labels ?? {});
  const maximumBytesBilled = options.maximumBytesBilled === undefined ? undefined : String(options.maximumBytesBilled);
  if (maximumBytesBilled !== undefined && !/^\d+$/.test(maximumBytesBilled)) throw new Error(`maximumBytesBilled must be a whole number of bytes, not ${maximumBytesBilled}`);
  // One retry layer: a client built here leaves retrying to `retry`.
  const bigquery =
    options.bigquery ??
    new BigQuery({ projectId, ...(location ? { location } : {}), ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}), retryOptions: { autoRetry: false } });
  const jobs: JobRunner = createJobRunner({ bigquery, projectId, location, retry, poll: options.jobPoll ?? { initialMs: 250, maxMs: 4000 }, logger });
  const call = <T>(operation: () => Promise<T>) => withRetry(operation, retry);
  const place = (relation: Relation) => physicalRelation(placement, relation);
  const tableOf = (relation: Relation) => {
    const physical = place(relation);
    return bigquery.dataset(physical.schema, { projectId: physical.database, ...(location ? { location } : {}) }).table(physical.identifier);
  };

  function jobLabels(execute: ExecuteOptions | undefined): Record<string, string> {
    return {
      ...baseLabels,
      ...checkedLabels(execute?.labels ?? {}),
      dbt_invocation_id: labelValue(invocationId),
      ...(execute?.label ? { node: labelValue(execute.label) } : {}),
    };
  }

  function queryConfiguration(sql: string, execute: ExecuteOptions | undefined, dryRun = false): JobConfiguration {
    return {
      query: {
        query: sql,
        useLegacySql: false,
        ...(maximumBytesBilled !== undefined && !dryRun ? { maximumBytesBilled } : {}),
      },
      labels: jobLabels(execute),
      ...(dryRun ? { dryRun: true } : {}),
    };
  }

  async function readResults(jobId: string): Promise<{ rows: Record<string, unknown>[]; schema: SchemaField[]; totalRows: number }> {
    const job = bigquery.job(jobId, location ? { location } : {});
    const rows: Record<string, unknown>[] = [];
    let schema: SchemaField[] = [];
    let totalRows = 0;
    let query: Record<string, unknown> | null = { autoPaginate: false, wrapIntegers: safeInteger, ...(options.resultPageSize ? { maxResults: options.resultPageSize } : {}) };
    while (query) {
      const page: Record<string, unknown> = query;
      const [pageRows, next, response] = await call(() => job.getQueryResults(page));
      rows.push(...(pageRows as Record<string, unknown>[]).map((row) => plainValue(row) as Record<string, unknown>));
      const body = (response ?? {}) as { schema?: { fields?: SchemaField[] }; totalRows?: string };
      if (body.schema?.fields) schema = body.schema.fields;
      totalRows = Number(body.totalRows ?? rows.length);
      query = next ? { ...(next as Record<string, unknown>), wrapIntegers: safeInteger } : null;
    }
    return { rows, schema, totalRows };
  }

  async function createdTableRows(metadata: JobMetadata): Promise<number | null> {
    const destination = metadata.configuration?.query?.destinationTable;
    if (!destination?.tableId || !destination.datasetId) return null;
    try {
      const [table] = await call(() => bigquery.dataset(destination.datasetId as string, { projectId: destination.projectId ?? projectId }).table(destination.tableId as string).getMetadata());
      return table.numRows === undefined ? null : Number(table.numRows);
    } catch (err) {
      logger.debug('rows of a created table unknown', { table: destination.tableId, error: errorMessage(err) });
      return null;
    }
  }

  function response(metadata: JobMetadata, code: string, rowsAffected: number | null): AdapterResponse {
    const statistics = metadata.statistics ?? {};
    const query = statistics.query ?? {};
    const bytesProcessed = Number(query.totalBytesProcessed ?? statistics.totalBytesProcessed ?? 0);
    const bytesBilled = Number(query.totalBytesBilled ?? 0);
    const rowsText = rowsAffected === null ? '' : `${rowsAffected.toLocaleString('en-US')} rows, `;
    const out: AdapterResponse = {
      message: `${code} (${rowsText}${formatBytes(bytesProcessed)} processed)`,
      code,
      rows_affected: rowsAffected,
      bytes_processed: bytesProcessed,
      bytes_billed: bytesBilled,
      job_id: metadata.jobReference?.jobId ?? '',
      project_id: metadata.jobReference?.projectId ?? projectId,
    };
    if (statistics.totalSlotMs !== undefined && statistics.totalSlotMs !== null) out.slot_ms = Number(statistics.totalSlotMs);
    const jobLocation = metadata.jobReference?.location ?? location;
    if (jobLocation) out.location = jobLocation;
    return out;
  }

  async function runQuery(sql: string, execute: ExecuteOptions | undefined): Promise<JobOutcome> {
    const metadata = await jobs.run({ name: execute?.label ?? 'query', configuration: queryConfiguration(sql, execute) });
    const jobId = metadata.jobReference?.jobId ?? '';
    const statementType = metadata.statistics?.query?.statementType ?? 'SELECT';
    const results = await readResults(jobId);
    let code = STATEMENT_CODES[statementType] ?? statementType;
    let rowsAffected: number | null = null;
    let rows = results.rows;
    if (statementType === 'SCRIPT') {
      const last = rows.length === 1 ? rows[0] : undefined;
      if (last && Object.keys(last).length === 1 && ROWS_AFFECTED in last) {
        // The script's closing `select dbt_rows_affected`: a count, not a result.
        rowsAffected = Number(last[ROWS_AFFECTED]);
        rows = [];
      }
    } else if (metadata.statistics?.query?.numDmlAffectedRows !== undefined && metadata.statistics.query.numDmlAffectedRows !== null) {
      rowsAffected = Number(metadata.statistics.query.numDmlAffectedRows);
    } else if (statementType === 'SELECT') {
      rowsAffected = results.totalRows;
    } else if (statementType === 'CREATE_TABLE_AS_SELECT') {
      rowsAffected = await createdTableRows(metadata);
    }
    if (statementType === 'SCRIPT') code = 'SCRIPT';
    return { response: response(metadata, code, rowsAffected), rows, schema: results.schema };
  }

  async function runLoad(load: SeedLoad, execute: ExecuteOptions | undefined): Promise<AdapterResponse> {
    const configuration: JobConfiguration = {
      load: {
        destinationTable: { projectId: load.destination.database, datasetId: load.destination.schema, tableId: load.destination.identifier },
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        schema: { fields: load.fields },
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_IF_NEEDED',
      },
      labels: jobLabels(execute),
    };
    const metadata = await jobs.run({ name: execute?.label ?? 'seed', configuration, media: Buffer.from(load.ndjson, 'utf8') });
    const rows = Number(metadata.statistics?.load?.outputRows ?? load.rows);
    const out = response(metadata, 'LOAD', rows);
    out.message = `LOAD (${rows.toLocaleString('en-US')} rows, ${formatBytes(Number(metadata.statistics?.load?.inputFileBytes ?? 0))} sent)`;
    return out;
  }

  /** Adds up what the statements of a plan reported; the last reporting job names the plan. */
  function combine(responses: readonly { response: AdapterResponse; reports: boolean }[]): AdapterResponse {
    const reporting = responses.filter((r) => r.reports);
    const named = (reporting.at(-1) ?? responses.at(-1))?.response;
    const sum = (pick: (r: AdapterResponse) => number | undefined) => responses.reduce((total, r) => total + (pick(r.response) ?? 0), 0);
    const rows = reporting.map((r) => r.response.rows_affected).filter((n): n is number => n !== null);
    const bytes = sum((r) => r.bytes_processed);
    const out: AdapterResponse = {
      message: named?.message ?? 'OK',
      code: named?.code ?? null,
      rows_affected: rows.length === 0 ? null : rows.reduce((a, b) => a + b, 0),
      bytes_processed: bytes,
      bytes_billed: sum((r) => r.bytes_billed),
      slot_ms: sum((r) => r.slot_ms),
      project_id: projectId,
    };
    if (named?.job_id) out.job_id = named.job_id;
    if (named?.location) out.location = named.location;
    if (responses.length > 1 && named) out.message = `${named.code ?? 'OK'} (${out.rows_affected === null ? '' : `${out.rows_affected.toLocaleString('en-US')} rows, `}${formatBytes(bytes)} processed)`;
    return out;
  }

  const session: AdapterSession = {
    async execute<T = Record<string, unknown>>(sql: string, execute?: ExecuteOptions): Promise<ExecuteResult<T>> {
      const outcome = await runQuery(sql, execute);
      return { response: outcome.response, rows: outcome.rows as T[] };
    },

    async query<T = Record<string, unknown>>(sql: string, execute?: ExecuteOptions): Promise<T[]> {
      return (await runQuery(sql, execute)).rows as T[];
    },

    async runPlan(plan: SqlPlan, execute?: ExecuteOptions): Promise<AdapterResponse> {
      const responses: { response: AdapterResponse; reports: boolean }[] = [];
      for (const batch of plan) {
        const loads = batch.statements.filter(isSeedLoad);
        if (loads.length > 0) {
          if (batch.statements.length > 1) throw new Error('a seed load runs alone in its batch');
          responses.push({ response: await runLoad((loads[0] as { load: SeedLoad }).load, execute), reports: true });
          continue;
        }
        if (batch.statements.length === 0) continue;
        const outcome = await runQuery(batchScript(batch), execute);
        responses.push({ response: outcome.response, reports: batch.statements.some((s) => s.reports) });
      }
      return combine(responses);
    },

    async getRelation(relation: Relation): Promise<ExistingRelation | null> {
      let metadata: TableMetadata;
      try {
        [metadata] = await call(() => tableOf(relation).getMetadata());
      } catch (err) {
        if (httpStatusOf(err) === 404) return null;
        throw err;
      }
      const existing: BigQueryExistingRelation = {
        database: relation.database,
        schema: relation.schema,
        identifier: relation.identifier,
        type: TYPES[String(metadata.type ?? 'TABLE')] ?? 'table',
        partitioning: {
          timePartitioning: metadata.timePartitioning ?? null,
          rangePartitioning: (metadata.rangePartitioning as TablePartitioning['rangePartitioning']) ?? null,
          clustering: metadata.clustering ?? null,
        },
      };
      return existing;
    },

    async getColumns(relation: Relation): Promise<ColumnDef[]> {
      try {
        const [metadata] = await call(() => tableOf(relation).getMetadata());
        return ((metadata.schema?.fields ?? []) as SchemaField[]).map((field) => ({ name: field.name ?? '', data_type: fieldDataType(field) }));
      } catch (err) {
        if (httpStatusOf(err) === 404) return [];
        throw err;
      }
    },

    async describeQuery(sql: string): Promise<ColumnDef[]> {
      // dbt-bigquery's get_columns_in_select_sql: `where false limit 0` reads no bytes.
      const outcome = await runQuery(`select * from (\n${sql.trim()}\n) as __dbt_sbq\nwhere false\nlimit 0`, { label: 'describe_query' });
      return outcome.schema.map((field) => ({ name: field.name ?? '', data_type: fieldDataType(field) }));
    },
  };

  const capabilities: AdapterCapabilities = { incremental_strategies: ['merge', 'insert_overwrite'], transactions: false, dry_run_bytes: true };

  return {
    type: 'bigquery',
    dialect,
    capabilities,
    projectId,
    location,
    invocationId,
    physicalRelation: place,
    ...session,

    async connect() {
      // The client authenticates lazily on the first call; nothing to open.
    },
    async close() {
      // No pooled connections: jobs are plain HTTPS requests.
    },
    withSession: (work) => work(session),

    async ensureSchema(relation) {
      const physical = place({ database: relation.database, schema: relation.schema, identifier: '_' });
      const dataset = bigquery.dataset(physical.schema, { projectId: physical.database, ...(location ? { location } : {}) });
      try {
        await call(() => dataset.getMetadata());
        return;
      } catch (err) {
        if (httpStatusOf(err) !== 404) throw err;
      }
      try {
        await call(() =>
          bigquery.createDataset(physical.schema, {
            projectId: physical.database,
            ...(location ? { location } : {}),
            ...(Object.keys(baseLabels).length > 0 ? { labels: baseLabels } : {}),
          }),
        );
        logger.info('BigQuery dataset created', { dataset: `${physical.database}:${physical.schema}`, location: location ?? 'US' });
      } catch (err) {
        // Created meanwhile by another thread, or by an earlier try whose answer was lost.
        if (httpStatusOf(err) !== 409) throw err;
      }
    },

    convertType,
    defaultIncrementalStrategy: () => 'merge',

    derivedRelation: (relation, suffix) => ({ ...relation, identifier: `${relation.identifier}${suffix}` }),
    dropRelationSql: (relation, type) => dropRelationSql(dialect, relation, type),
    viewPlan: (args) => viewPlan(dialect, args),
    tablePlan: (args) => tablePlan(dialect, args),
    incrementalPlan: (args) => incrementalPlan(dialect, args),
    schemaChangePlan: (args) => schemaChangePlan(dialect, args),
    snapshotPlan: (args) => snapshotPlan(dialect, args),
    seedPlan: (args) => seedPlan(dialect, place(args.relation), args),
    testsQuery: (args) => testsQuery(dialect, args),
    freshnessQuery: (args) => freshnessQuery(dialect, args),

    async dryRun(sql: string): Promise<DryRunResult> {
      try {
        const [, metadata] = await call(() => bigquery.createJob({ ...(location ? { location } : {}), configuration: queryConfiguration(sql, { label: 'dry_run' }, true) }));
        const statistics = (metadata ?? {}) as JobMetadata;
        const bytes = statistics.statistics?.query?.totalBytesProcessed ?? statistics.statistics?.totalBytesProcessed ?? 0;
        return { ok: true, bytes_processed: Number(bytes) };
      } catch (err) {
        return { ok: false, error: errorMessage(err) };
      }
    },

    cost: (bytes) => onDemandCost(bytes, options.usdPerTiB ?? ON_DEMAND_USD_PER_TIB),
  };
}
