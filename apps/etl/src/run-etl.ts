import {
  compareSourceFiles,
  REPORT_CONTRACTS,
  type Domain,
  type DomainTransform,
  type Source,
  type SourceFile,
  type SourceRow,
  type TransformedRow,
  type Warehouse,
} from '@sp01/contracts';
import { errorMessage, Sp01Error, type Logger, type Progress, type RunContext } from '@sp01/core';
import { openReport, type ReaderLimits } from '@sp01/extract-xlsx';

export type FileRunStatus = 'loaded' | 'skipped' | 'rejected' | 'failed';

export interface FileRunResult {
  file: string;
  domain: Domain | null;
  status: FileRunStatus;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  warnings: number;
  /** Why a file was skipped, rejected or failed, or why its archive copy failed. */
  detail: string | null;
  /** Where the loaded file was archived, when an archive is configured. */
  archivedTo?: string;
  seconds: number;
}

export interface RunSummary {
  runId: string;
  source: string;
  warehouse: Warehouse['kind'];
  files: FileRunResult[];
  totals: Record<FileRunStatus, number> & { rowsRead: number; rowsLoaded: number; rowsRejected: number; archiveFailures: number };
  seconds: number;
}

export interface EtlRun {
  source: Source;
  warehouse: Warehouse;
  transforms: Readonly<Partial<Record<Domain, DomainTransform>>>;
  domains: readonly Domain[];
  force: boolean;
  context: RunContext;
  logger: Logger;
  progress: Progress;
  readerLimits?: Partial<ReaderLimits>;
  /** Called after a file has loaded; a failure is reported but never unloads the file. */
  archive?: (file: SourceFile, domain: Domain, businessDate: string) => Promise<string>;
}

/**
 * Loads every file of a source, oldest export first (so a run is deterministic), one file
 * at a time: each file lands whole or not at all, and a bad file never stops the others.
 */
export async function runEtl(run: EtlRun): Promise<RunSummary> {
  const started = Date.now();
  await run.warehouse.migrate();
  const files = (await run.source.list()).sort(compareSourceFiles);
  run.logger.info('source listed', { source: run.source.description, files: files.length });
  const results: FileRunResult[] = [];
  for (const file of files) {
    const result = await loadOne(run, file);
    results.push(result);
    const level = result.status === 'failed' || result.status === 'rejected' ? 'error' : 'info';
    run.logger[level](`file ${result.status}`, { ...result });
  }
  run.progress.clear();
  return summarize(run, results, started);
}

async function loadOne(run: EtlRun, file: SourceFile): Promise<FileRunResult> {
  const started = Date.now();
  const base = { file: file.id, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, warnings: 0 };
  const finish = (r: Omit<FileRunResult, 'seconds' | keyof typeof base> & Partial<typeof base>): FileRunResult => ({
    ...base,
    ...r,
    seconds: (Date.now() - started) / 1000,
  });

  const seen = await run.warehouse.ledgerEntry(file.id);
  if (!run.force && seen && seen.checksum === file.checksum && seen.status !== 'skipped') {
    return finish({ domain: seen.domain, status: 'skipped', detail: `unchanged since run ${seen.runId} (${seen.status})` });
  }

  let domain: Domain | null = null;
  try {
    const report = await openReport(await file.open(), {
      fileName: file.id,
      contracts: Object.values(REPORT_CONTRACTS),
      limits: run.readerLimits,
      sizeBytes: file.size,
    });
    domain = report.domain;
    const transform = run.transforms[domain];
    if (!run.domains.includes(domain) || !transform) {
      await drain(report.rows);
      const detail = `domain ${domain} not selected`;
      await run.warehouse.recordFileOutcome(file, { domain, status: 'skipped', error: detail, runId: run.context.runId });
      return finish({ domain, status: 'skipped', detail });
    }
    if (report.unknownColumns.length > 0) {
      run.logger.warn('columns not in the contract were left out', { file: file.id, columns: report.unknownColumns });
    }
    let warnings = 0;
    const rows = transformRows(report.rows, transform.forFile(report.cellContext), (row, n) => {
      if (row.warnings) {
        warnings += row.warnings.length;
        if (warnings <= 5) run.logger.warn('cell warning', { file: file.id, sheet: row.sheet, row: row.rowNumber, warnings: row.warnings });
      }
      run.progress.update(`loading ${file.id}`, n);
    });
    const loaded = await run.warehouse.loadFile({ file, domain, sheet: report.sheet, runId: run.context.runId, rows });
    if (!run.archive) return finish({ domain, status: 'loaded', detail: null, warnings, ...loaded });
    try {
      const archivedTo = await run.archive(file, domain, run.context.businessDate);
      return finish({ domain, status: 'loaded', detail: null, warnings, archivedTo, ...loaded });
    } catch (err) {
      return finish({ domain, status: 'loaded', detail: `loaded, but not archived: ${errorMessage(err)}`, warnings, ...loaded });
    }
  } catch (err) {
    // A file the reader cannot use is rejected (and recorded); anything else is a failure of
    // the run itself (database, network) and is reported as such.
    const rejected = err instanceof Sp01Error && err.code !== 'source_unavailable';
    const detail = errorMessage(err);
    try {
      await run.warehouse.recordFileOutcome(file, { domain, status: 'rejected', error: detail, runId: run.context.runId });
    } catch (ledgerErr) {
      run.logger.error('could not record the file in the ledger', { file: file.id, error: errorMessage(ledgerErr) });
    }
    return finish({ domain, status: rejected ? 'rejected' : 'failed', detail });
  } finally {
    run.progress.clear();
  }
}

async function* transformRows(
  rows: AsyncIterable<SourceRow>,
  transform: (row: SourceRow) => TransformedRow,
  onRow: (row: TransformedRow, n: number) => void,
): AsyncIterable<TransformedRow> {
  let n = 0;
  for await (const row of rows) {
    const out = transform(row);
    onRow(out, ++n);
    yield out;
  }
}

async function drain(rows: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of rows) {
    // the reader must reach the end of the stream to release the file
  }
}

function summarize(run: EtlRun, files: FileRunResult[], started: number): RunSummary {
  const totals = { loaded: 0, skipped: 0, rejected: 0, failed: 0, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, archiveFailures: 0 };
  for (const f of files) {
    totals[f.status] += 1;
    if (f.status === 'loaded' && f.detail !== null) totals.archiveFailures += 1;
    totals.rowsRead += f.rowsRead;
    totals.rowsLoaded += f.rowsLoaded;
    totals.rowsRejected += f.rowsRejected;
  }
  return {
    runId: run.context.runId,
    source: run.source.description,
    warehouse: run.warehouse.kind,
    files,
    totals,
    seconds: (Date.now() - started) / 1000,
  };
}

export function runSucceeded(summary: RunSummary): boolean {
  return summary.totals.failed === 0 && summary.totals.rejected === 0 && summary.totals.archiveFailures === 0;
}
