import ExcelJS from 'exceljs';
import { mkdir, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PlannedCell } from './domain-spec.js';
import { planReport, type PlannedRow, type ReportPlan, type StaticSheet } from './plan.js';
import type { GeneratedReport, ReportOptions } from './traits.js';
import { wallClock } from './world.js';
import { setZipEntryTimes } from './zip-entry-times.js';

const TIMESTAMP_FORMAT = 'yyyy/mm/dd hh:mm:ss';
const DATE_FORMAT = 'yyyy/mm/dd';
const CREATOR = 'SP01 back office export';
/** XML the zip may lag behind by: enough for deflate and row generation to overlap. */
const ZIP_BACKLOG_BYTES = 8 * 1024 * 1024;

/** What both exceljs writers can do: lay rows into a sheet, merge, finish. */
interface SheetSink {
  row(row: Pick<PlannedRow, 'rowNumber' | 'kind' | 'cells' | 'mergeTo'>): void;
  /** Lets the zip catch up with the rows written so far. */
  breathe(): Promise<void>;
  done(): void;
}

/**
 * What exceljs's streaming worksheet writes its XML into: a readable-stream PassThrough
 * feeding the zip entry (an older stream implementation: no public writableNeedDrain).
 */
interface WorksheetStream {
  stream?: {
    pipes?: {
      writableLength?: number;
      _writableState?: { length?: number };
      destroyed?: boolean;
      once(event: 'drain', listener: () => void): unknown;
    }[];
  };
}

interface BookSink {
  sheet(name: string, plan?: ReportPlan): SheetSink;
  finish(): Promise<void>;
}

function inMemoryBook(path: string, plan: ReportPlan): BookSink {
  const book = new ExcelJS.Workbook();
  book.creator = CREATOR;
  book.lastModifiedBy = CREATOR;
  book.created = plan.exportedAt;
  book.modified = plan.exportedAt;
  if (plan.date1904) book.properties.date1904 = true;
  return {
    sheet(name, data) {
      const ws = book.addWorksheet(name);
      const timestampColumns = new Set(
        (data?.columns ?? []).flatMap((c, i) => (c.source?.type === 'timestamp' ? [i] : [])),
      );
      return {
        row({ rowNumber, kind, cells, mergeTo }) {
          const row = ws.getRow(rowNumber);
          row.values = cells as ExcelJS.CellValue[];
          if (kind === 'header' || kind === 'totals') row.font = { bold: true };
          if (kind === 'title' && rowNumber === 1) row.font = { bold: true, size: 14 };
          cells.forEach((cell, i) => {
            if (cell instanceof Date) row.getCell(i + 1).numFmt = timestampColumns.has(i) ? TIMESTAMP_FORMAT : DATE_FORMAT;
          });
          if (mergeTo) ws.mergeCells(rowNumber, 1, rowNumber, mergeTo);
        },
        breathe: () => Promise.resolve(),
        done: () => undefined,
      };
    },
    finish: () => book.xlsx.writeFile(path),
  };
}

function streamingBook(path: string, plan: ReportPlan): BookSink {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    // Without styles exceljs still gives date cells a date format; styling every cell
    // would nearly double the time per row.
    useStyles: false,
    created: plan.exportedAt,
    modified: plan.exportedAt,
    creator: CREATOR,
    lastModifiedBy: CREATOR,
  } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>);
  if (plan.date1904) {
    // The streaming writer has no notion of the workbook's date system: flag it in
    // workbook.xml ourselves (date cells were shifted to match, see DateSystem).
    const zip = (writer as unknown as { zip: { append(data: unknown, options: { name: string }): unknown } }).zip;
    const append = zip.append.bind(zip);
    zip.append = (data, options) =>
      append(
        options.name === '/xl/workbook.xml' && typeof data === 'string' ? data.replace('<workbookPr', '<workbookPr date1904="1"') : data,
        options,
      );
  }
  return {
    sheet(name) {
      const ws = writer.addWorksheet(name);
      return {
        row({ rowNumber, cells, mergeTo }) {
          const row = ws.getRow(rowNumber);
          row.values = cells as ExcelJS.CellValue[];
          if (mergeTo) ws.mergeCells(rowNumber, 1, rowNumber, mergeTo);
          row.commit();
        },
        async breathe() {
          // exceljs writes into the zip without heeding backpressure, so a fast producer
          // piles the whole file up in memory. Waiting for the deflate stream to drain
          // when it lags too far keeps memory flat however many rows there are.
          for (const pipe of (ws as unknown as WorksheetStream).stream?.pipes ?? []) {
            const buffered = pipe.writableLength ?? pipe._writableState?.length ?? 0;
            if (buffered > ZIP_BACKLOG_BYTES && !pipe.destroyed) await new Promise<void>((resolve) => pipe.once('drain', resolve));
          }
        },
        done() {
          ws.commit();
        },
      };
    },
    finish: () => writer.commit(),
  };
}

function writeStatic(book: BookSink, sheet: StaticSheet): void {
  const sink = book.sheet(sheet.name);
  sheet.rows.forEach((cells: PlannedCell[], i) => {
    if (cells.length > 0) sink.row({ rowNumber: i + 1, kind: 'title', cells });
  });
  sink.done();
}

/**
 * Writes one report workbook and says what is in it. The same options always give the
 * same cells, the same zip bytes, and the same file mtime (the export time).
 */
export async function writeReport(path: string, options: ReportOptions): Promise<GeneratedReport> {
  const plan = planReport(options);
  await mkdir(dirname(path), { recursive: true });
  const book = options.streaming ? streamingBook(path, plan) : inMemoryBook(path, plan);
  const sheets: string[] = [];
  if (plan.notes) {
    writeStatic(book, plan.notes);
    sheets.push(plan.notes.name);
  }
  const data = book.sheet(plan.sheet, plan);
  sheets.push(plan.sheet);
  for (const row of plan.head) data.row(row);
  let sinceBreath = 0;
  for (const row of plan.body()) {
    data.row(row);
    if (++sinceBreath === 1000) {
      sinceBreath = 0;
      await data.breathe();
    }
  }
  data.done();
  const summary = plan.summary();
  if (summary) {
    writeStatic(book, summary);
    sheets.push(summary.name);
  }
  await book.finish();
  await setZipEntryTimes(path, wallClock(plan.exportedAt));
  await utimes(path, plan.exportedAt, plan.exportedAt);
  return {
    path,
    domain: plan.domain,
    sheet: plan.sheet,
    sheets,
    headerRow: plan.headerRow,
    columns: plan.columns.map((c) => c.key),
    rows: plan.dataRows,
    badRows: plan.badRows,
    keys: plan.keys,
    date1904: plan.date1904,
    exportedAt: plan.exportedAt,
    traits: plan.traits,
  };
}
