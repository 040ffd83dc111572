import type { Readable } from 'node:stream';
import type { CellContext } from './cells.js';
import type { Domain, ReportContract, SourceCells } from './report.js';

/**
 * The typed hand-offs between stages (dlt's extract → normalize → load): a source lists
 * files, the reader turns one into rows, a domain transform types each row, a warehouse
 * loads one file's rows atomically. Only apps wire them together.
 */

/** What identifies a source file and decides which export is newest. */
export interface SourceFileInfo {
  /** Stable key within the source (relative path, Drive file id, object name): the ledger key. */
  id: string;
  /** File name, shown to people and used to break modified-time ties. */
  name: string;
  /** Where the file lives (`file:///…`, `gdrive://…`, `gs://…`). */
  uri: string;
  size: number;
  /** Modified time at the source: newest export wins. */
  modifiedAt: Date;
  /** `sha256:<hex>` or `md5:<hex>`: an unchanged file is skipped. */
  checksum: string;
}

export interface SourceFile extends SourceFileInfo {
  open(): Promise<Readable>;
}

export interface Source {
  /** For logs: `local folder ./reports`, `Drive folder 1AbC…`. */
  readonly description: string;
  list(): Promise<SourceFile[]>;
}

/** Files in the order that makes a run deterministic: oldest first, ties by name. */
export function compareSourceFiles(a: SourceFileInfo, b: SourceFileInfo): number {
  const t = a.modifiedAt.getTime() - b.modifiedAt.getTime();
  if (t !== 0) return t;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One data row of a workbook, keyed by canonical column name. */
export interface SourceRow {
  sheet: string;
  /** 1-based row number in the sheet, as Excel shows it. */
  rowNumber: number;
  cells: SourceCells;
  /** Cell-level oddities that did not stop the row, e.g. an `#N/A` error cell read as blank. */
  warnings?: string[];
}

/** Why a row (or one of its cells) was rejected. */
export interface RowReject {
  /** Canonical column, or null when the row as a whole is wrong. */
  column: string | null;
  /** The raw cell as text, as the file had it. */
  value: string | null;
  reason: string;
}

export type TransformedRow<TRecord extends object = object> =
  | { ok: true; sheet: string; rowNumber: number; record: TRecord; warnings?: string[] }
  | { ok: false; sheet: string; rowNumber: number; rejects: RowReject[]; warnings?: string[] };

/** A domain transform: built once per file (the workbook's date system matters), applied per row. */
export interface DomainTransform<TRecord extends object = object> {
  readonly domain: Domain;
  readonly contract: ReportContract<object>;
  forFile(ctx: CellContext): (row: SourceRow) => TransformedRow<TRecord>;
}

// ---------------------------------------------------------------------------------------
// Warehouse

export type FileStatus = 'loaded' | 'rejected' | 'skipped';

export interface LedgerEntry {
  sourceFile: string;
  fileName: string;
  domain: Domain | null;
  checksum: string;
  modifiedAt: Date;
  status: FileStatus;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  error: string | null;
  runId: string;
  firstSeenAt: Date;
  updatedAt: Date;
}

export interface FileLoadRequest {
  file: SourceFileInfo;
  domain: Domain;
  sheet: string;
  runId: string;
  rows: AsyncIterable<TransformedRow>;
}

export interface FileLoadResult {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
}

export interface FileOutcome {
  domain: Domain | null;
  status: Exclude<FileStatus, 'loaded'>;
  error: string | null;
  runId: string;
}

/** One implementation per warehouse (PostgreSQL/PGlite, BigQuery); the ETL only sees this. */
export interface Warehouse {
  readonly kind: 'pglite' | 'postgres' | 'bigquery';
  /** Creates or upgrades the raw schema; safe to call on every run. */
  migrate(): Promise<void>;
  ledgerEntry(sourceFile: string): Promise<LedgerEntry | undefined>;
  /**
   * Loads one file's rows in one transaction: records upserted by natural key (newest
   * export wins), its earlier rejects replaced, its ledger row written. All or nothing.
   */
  loadFile(request: FileLoadRequest): Promise<FileLoadResult>;
  /** Records a file that was rejected whole or skipped, without touching any data. */
  recordFileOutcome(file: SourceFileInfo, outcome: FileOutcome): Promise<void>;
  close(): Promise<void>;
}
