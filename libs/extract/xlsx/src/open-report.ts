import type { Readable } from 'node:stream';
import {
  normalizeHeader,
  type CellContext,
  type Domain,
  type ReportContract,
  type SourceCells,
  type SourceRow,
} from '@sp01/contracts';
import { SourceFileError } from '@sp01/core';
import { HeaderSearch, type ReportColumn } from './header-search.js';
import { resolveLimits, type ReaderLimits } from './limits.js';
import type { SheetRow } from './sheet-rows.js';
import { WorkbookArchive } from './workbook-archive.js';

export interface OpenReportOptions {
  /** Shown in every error and warning. */
  fileName: string;
  /** The reports the file may be; the first sheet with one's header row decides. */
  contracts: readonly ReportContract<object>[];
  limits?: Partial<ReaderLimits>;
  /** The file's size when the source knows it: a file over the limit is refused unread. */
  sizeBytes?: number;
  /** Where sheets are spooled while the shared strings are still to come; default the OS temp dir. */
  tempDir?: string;
}

/** A report found in a workbook, its data rows not read yet. */
export interface OpenedReport {
  contract: ReportContract<object>;
  domain: Domain;
  sheet: string;
  /** 1-based row of the header. */
  headerRow: number;
  columns: ReportColumn[];
  /** Headers of the data sheet that are not the contract's (their cells are left out). */
  unknownColumns: string[];
  /** Canonical names of optional columns the sheet does not have. */
  missingOptionalColumns: string[];
  cellContext: CellContext;
  /** The data rows (blank and totals rows left out), streamed; can be read once. */
  rows: AsyncIterable<SourceRow>;
  /** Releases the input and temp files without reading `rows` to the end (idempotent). */
  close(): Promise<void>;
}

const TOTALS_LABELS = new Set(['合計', '總計', '小計', '合计', '总计', '小计', 'total', 'totals', 'grand total', 'subtotal', 'sub total']);

/** The first text of a totals row: 合計 / 總計 / 小計 / Total / Grand Total, any case, a colon allowed. */
export function isTotalsLabel(text: string): boolean {
  // Called on the first cell of every row: ids are long, totals labels short.
  if (text.length > 24) return false;
  return TOTALS_LABELS.has(normalizeHeader(text).replace(/\s*:$/, ''));
}

/**
 * Opens a report workbook: finds the sheet and row that carry the header of one of the
 * contracts (reading forward, since the stream cannot go back) and returns the report's
 * columns with its data rows still to be streamed from there on. The input stream is the
 * reader's from now on: it is destroyed once the rows are read, on `close()`, or on error.
 *
 * Throws (and the rows iterator throws) `SourceFileError` with code `not_a_workbook`,
 * `no_report_sheet`, `file_too_large` or `sheet_too_large`; an error of the input stream
 * itself is passed on as it is.
 */
export async function openReport(input: Readable, options: OpenReportOptions): Promise<OpenedReport> {
  const { fileName, contracts } = options;
  if (contracts.length === 0) throw new TypeError('openReport needs at least one report contract');
  let limits: ReaderLimits;
  try {
    limits = resolveLimits(options.limits);
  } catch (error) {
    input.destroy();
    throw error;
  }
  if (options.sizeBytes !== undefined && options.sizeBytes > limits.maxFileBytes) {
    input.destroy();
    throw new SourceFileError(
      'file_too_large',
      { file: fileName },
      `the file has ${options.sizeBytes} bytes, more than the ${limits.maxFileBytes} bytes limit (maxFileBytes)`,
    );
  }

  const archive = new WorkbookArchive(input, { fileName, limits, tempDir: options.tempDir });
  const search = new HeaderSearch(contracts);
  try {
    const sheets = archive.worksheets();
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      const { name, rows } = next.value;
      search.sawSheet(name);
      for (let row = await rows.next(); !row.done && row.value.number <= limits.headerScanRows; row = await rows.next()) {
        const match = search.inspect(name, row.value);
        if (!match) continue;
        const close = () => archive.close();
        return {
          contract: match.contract,
          domain: match.contract.domain,
          sheet: name,
          headerRow: match.headerRow,
          columns: match.columns,
          unknownColumns: match.unknownColumns,
          missingOptionalColumns: match.missingOptionalColumns,
          cellContext: { date1904: archive.date1904 },
          rows: readOnce(() => dataRows(rows, name, match.columns, archive), close),
          close,
        };
      }
      await rows.return();
    }
    throw new SourceFileError('no_report_sheet', { file: fileName }, search.describeFailure(limits.headerScanRows));
  } catch (error) {
    const reported = archive.explain(error);
    await archive.close();
    throw reported;
  }
}

async function* dataRows(
  rows: AsyncGenerator<SheetRow, void, undefined>,
  sheet: string,
  columns: readonly ReportColumn[],
  archive: WorkbookArchive,
): AsyncGenerator<SourceRow, void, undefined> {
  const names: (string | undefined)[] = [];
  const headers: (string | undefined)[] = [];
  for (const column of columns) {
    names[column.index - 1] = column.name;
    headers[column.index - 1] = column.header.trim();
  }
  try {
    for (;;) {
      let next: IteratorResult<SheetRow, void>;
      try {
        next = await rows.next();
      } catch (error) {
        throw archive.explain(error);
      }
      if (next.done) return;
      const row = next.value;
      if (row.first < 0) continue;
      const first = row.values[row.first];
      if (typeof first === 'string' && isTotalsLabel(first)) continue;

      const { values } = row;
      let warnings: string[] | undefined;
      if (row.errors) {
        for (const [index, error] of row.errors) {
          const name = names[index];
          if (name === undefined) continue;
          (warnings ??= []).push(`column ${name} (${headers[index]}): error ${error} read as blank`);
        }
      }
      const cells: SourceCells = {};
      // A row with nothing in the report's own columns (a note beside the data) is blank too.
      let content = warnings !== undefined;
      for (const column of columns) {
        const value = values[column.index - 1];
        if (value === undefined) {
          cells[column.name] = null;
          continue;
        }
        cells[column.name] = value;
        if (!content && (typeof value !== 'string' || value.trim() !== '')) content = true;
      }
      if (!content) continue;
      yield warnings ? { sheet, rowNumber: row.number, cells, warnings } : { sheet, rowNumber: row.number, cells };
    }
  } finally {
    await archive.close();
  }
}

/** An async iterable that can be iterated once, and that releases its resources even if it never was. */
function readOnce<T>(start: () => AsyncGenerator<T, void, undefined>, close: () => Promise<void>): AsyncIterable<T> {
  let used = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<T, void, undefined> {
      if (used) throw new Error('the rows of an opened report can be read only once');
      used = true;
      const generator = start();
      return {
        next: () => generator.next(),
        return: async () => {
          try {
            return await generator.return();
          } finally {
            await close();
          }
        },
        throw: async (error?: unknown) => {
          try {
            return await generator.throw(error);
          } finally {
            await close();
          }
        },
      };
    },
  };
}
