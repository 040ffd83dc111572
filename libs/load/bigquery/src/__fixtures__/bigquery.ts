import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { GOOGLE_RETRY_POLICY, type RetryPolicy } from '@sp01/core';
import { startFakeBigQuery, type FakeBigQuery, type FakeBigQueryOptions, type QueryCall, type QueryOutcome } from '@sp01/google-fakes';
import { createBigQueryWarehouse, type BigQueryWarehouse, type BigQueryWarehouseOptions } from '../bigquery-warehouse.js';

export const PROJECT = 'sp01-test';
export const LOCATION = 'asia-east1';

/** A file ledger kept from the parameters of the scripts the fake receives. */
export type LedgerRows = Map<string, Record<string, unknown>>;

export interface Harness {
  fake: FakeBigQuery;
  bigquery: BigQuery;
  warehouse: BigQueryWarehouse;
  tempDir: string;
  ledger: LedgerRows;
  /** Answers queries before the ledger emulation does; undefined passes on. */
  onQuery(handler: ((call: QueryCall) => QueryOutcome | undefined) | undefined): void;
  /** Sleeps the retry policy was asked for, in order. */
  sleeps: number[];
  /** Files left in the warehouse's temp dir. */
  leftovers(): Promise<string[]>;
  close(): Promise<void>;
}

const LEDGER_SCHEMA = [
  { name: 'source_file', type: 'STRING' },
  { name: 'file_name', type: 'STRING' },
  { name: 'domain', type: 'STRING' },
  { name: 'checksum', type: 'STRING' },
  { name: 'modified_at', type: 'TIMESTAMP' },
  { name: 'status', type: 'STRING' },
  { name: 'rows_read', type: 'INTEGER' },
  { name: 'rows_loaded', type: 'INTEGER' },
  { name: 'rows_rejected', type: 'INTEGER' },
  { name: 'error', type: 'STRING' },
  { name: 'run_id', type: 'STRING' },
  { name: 'first_seen_at', type: 'TIMESTAMP' },
  { name: 'updated_at', type: 'TIMESTAMP' },
];

/**
 * The fake runs no SQL; the ledger is the one table a test reads back, so it is kept here
 * from what the scripts were given. That checks the parameters end to end; the MERGE
 * semantics themselves are covered by the golden scripts and the live suite.
 */
function emulateLedger(ledger: LedgerRows) {
  return (call: QueryCall): QueryOutcome | undefined => {
    const p = call.parameters;
    if (/MERGE `[^`]*\.file_ledger`/.test(call.sql) && !call.dryRun) {
      const key = String(p['source_file']);
      const now = new Date();
      const before = ledger.get(key);
      ledger.set(key, {
        source_file: key,
        file_name: p['file_name'],
        domain: p['domain'],
        checksum: p['checksum'],
        modified_at: p['source_modified_at'],
        status: p['status'],
        rows_read: p['rows_read'],
        rows_loaded: p['rows_loaded'],
        rows_rejected: p['rows_rejected'],
        error: p['error'],
        run_id: p['run_id'],
        first_seen_at: before?.['first_seen_at'] ?? now,
        updated_at: now,
      });
      return { totalBytesProcessed: 10_485_760 };
    }
    if (/FROM `[^`]*\.file_ledger`/.test(call.sql)) {
      const row = ledger.get(String(p['source_file']));
      return { schema: LEDGER_SCHEMA, rows: row ? [row] : [], totalBytesProcessed: 10_485_760 };
    }
    return undefined;
  };
}

export async function startHarness(
  options: Partial<BigQueryWarehouseOptions> = {},
  fakeOptions: FakeBigQueryOptions = {},
): Promise<Harness> {
  // The client must never look for a metadata server or real credentials.
  process.env['METADATA_SERVER_DETECTION'] = 'none';
  const fake = await startFakeBigQuery(fakeOptions);
  const bigquery = new BigQuery({ ...fake.clientOptions(PROJECT), location: LOCATION } as ConstructorParameters<typeof BigQuery>[0]);
  const tempDir = await mkdtemp(join(tmpdir(), 'sp01-bigquery-test-'));
  const ledger: LedgerRows = new Map();
  const sleeps: number[] = [];
  const retry: RetryPolicy = {
    ...GOOGLE_RETRY_POLICY,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  let scripted: ((call: QueryCall) => QueryOutcome | undefined) | undefined;
  const ledgerAnswers = emulateLedger(ledger);
  fake.onQuery((call) => scripted?.(call) ?? ledgerAnswers(call));
  const warehouse = createBigQueryWarehouse({
    projectId: PROJECT,
    datasetPrefix: 't_',
    location: LOCATION,
    bigquery,
    maximumBytesBilled: 10_000_000_000,
    labels: { env: 'test' },
    retry,
    jobPoll: { initialMs: 1, maxMs: 4 },
    tempDir,
    ...options,
  });
  return {
    fake,
    bigquery,
    warehouse,
    tempDir,
    ledger,
    sleeps,
    onQuery(handler) {
      scripted = handler;
    },
    leftovers: () => readdir(tempDir),
    async close() {
      await warehouse.close();
      await fake.close();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/** Request log entries by what they are, for sequence assertions. */
export function describeRequest(r: { method: string; path: string; query: Record<string, string> }): string {
  const path = r.path
    .replace(`/upload/bigquery/v2/projects/${PROJECT}`, 'upload:')
    .replace(`/bigquery/v2/projects/${PROJECT}`, '')
    .replace(/_stage_[a-z0-9_]+?(_rejects)?$/, (_m, rejects: string | undefined) => (rejects ? '<reject stage>' : '<stage>'))
    .replace(/\/(jobs|queries)\/sp01_[A-Za-z0-9_]+?_(stage|rejects|merge|ledger|outcome)(_r\d+)?$/, (_m, kind: string, step: string, rerun: string | undefined) => `/${kind}/<${step}${rerun ?? ''}>`);
  return `${r.method} ${path}${r.query['uploadType'] ? `?uploadType=${r.query['uploadType']}` : ''}`;
}
