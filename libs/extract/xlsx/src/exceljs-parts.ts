import { createRequire } from 'node:module';
import type { Duplex, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/*
 * The pieces of exceljs 4.4.0 (pinned, and patched by patches/exceljs+4.4.0.patch) that the
 * reader drives itself. `WorkbookReader.parse()` owns the zip loop, which leaves no place to
 * count inflated bytes, hangs when the input stream fails, and spools sheets to temp files
 * it only removes on success; so the loop lives in workbook-archive.ts and borrows
 * exceljs's own unzipper, its (UTF-8 fixed) SAX adapter and the WorkbookReader's parsers
 * for the workbook-level parts. Everything here is resolved from exceljs's own folder so
 * it is exactly the code exceljs itself runs.
 */
const fromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));

export interface SaxTag {
  name: string;
  attributes: Record<string, string | undefined>;
}

export type SaxEvent =
  | { eventType: 'opentag'; value: SaxTag }
  | { eventType: 'closetag'; value: SaxTag }
  | { eventType: 'text'; value: string };

/** exceljs's saxes adapter: one array of events per chunk of XML. */
export const parseSax = fromExceljs('./lib/utils/parse-sax.js') as (
  chunks: AsyncIterable<Buffer | string>,
) => AsyncGenerator<SaxEvent[], void, undefined>;

/** An entry of the zip as unzipper streams it. */
export interface ZipEntry extends Readable {
  path: string;
  type: 'File' | 'Directory';
}

const unzipper = fromExceljs('unzipper') as { Parse(options: { forceStream: true }): Duplex };

/** A streaming zip parser: write the .xlsx bytes in, read `ZipEntry` objects out. */
export function zipEntryParser(): Duplex {
  return unzipper.Parse({ forceStream: true });
}

export interface WorkbookRel {
  Id: string;
  Type: string;
  Target: string;
}

export interface WorkbookSheetModel {
  id: number;
  name: string;
  rId: string;
  state?: string;
}

/** The parts of exceljs's WorkbookReader used here (its fields after each `_parse…`). */
export interface WorkbookPartParsers {
  workbookRels?: WorkbookRel[];
  model?: { sheets?: WorkbookSheetModel[] };
  properties?: { model?: { date1904?: boolean } };
  styles: {
    model?: { styles?: ({ numFmtId?: number } | undefined)[] };
    getStyleModel(id: number): { numFmt?: string } | null;
  };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
}

export function workbookPartParsers(): WorkbookPartParsers {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(undefined as unknown as Readable, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  return reader as unknown as WorkbookPartParsers;
}
