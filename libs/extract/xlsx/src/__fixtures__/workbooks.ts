import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/*
 * Test-only builders of real .xlsx files: exceljs for ordinary workbooks, and a raw
 * builder for XML that exceljs cannot write (inline rich text, phonetic guides, formula
 * errors, missing cell references, odd part orders).
 */

/** A cell as a test writes it; `{ value, numFmt }` gives the cell a number format. */
export type FixtureCell = ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string };

export interface FixtureSheet {
  name: string;
  rows: FixtureCell[][];
  /** Ranges to merge, e.g. `A1:F1` for a title row. */
  merges?: string[];
}

export interface FixtureWorkbookOptions {
  date1904?: boolean;
}

function isFormatted(cell: FixtureCell): cell is { value: ExcelJS.CellValue; numFmt: string } {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date) && 'numFmt' in cell;
}

/** A folder for one test file's workbooks; remove it in afterAll. */
export async function fixtureDir(): Promise<{ path: string; file(name: string): string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'sp01-xlsx-test-'));
  return { path, file: (name) => join(path, name), remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a workbook with exceljs (sheets first in the zip, then shared strings and workbook.xml). */
export async function writeWorkbook(path: string, sheets: FixtureSheet[], options: FixtureWorkbookOptions = {}): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  if (options.date1904) workbook.properties.date1904 = true;
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    sheet.rows.forEach((cells, r) => {
      cells.forEach((cell, c) => {
        if (cell === undefined) return;
        const target = worksheet.getCell(r + 1, c + 1);
        if (isFormatted(cell)) {
          target.value = cell.value;
          target.numFmt = cell.numFmt;
        } else {
          target.value = cell;
        }
      });
    });
    for (const range of sheet.merges ?? []) worksheet.mergeCells(range);
  }
  await workbook.xlsx.writeFile(path);
  return path;
}

export interface LargeSheet {
  name: string;
  header: string[];
  rowCount: number;
  row(index: number): ExcelJS.CellValue[];
  /** Strings in xl/sharedStrings.xml (true) or in the sheet XML itself (false). */
  useSharedStrings: boolean;
}

/** Writes one big sheet with exceljs's streaming writer, so the test does not hold it in memory. */
export async function writeLargeWorkbook(path: string, sheet: LargeSheet): Promise<string> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: sheet.useSharedStrings,
    useStyles: false,
  });
  const worksheet = workbook.addWorksheet(sheet.name);
  worksheet.addRow(sheet.header).commit();
  for (let i = 0; i < sheet.rowCount; i++) worksheet.addRow(sheet.row(i)).commit();
  worksheet.commit();
  await workbook.commit();
  return path;
}

/** Rewrites a workbook so that the named parts come first in the zip, in that order. */
export async function moveZipPartsFirst(path: string, target: string, first: string[]): Promise<string> {
  const source = await JSZip.loadAsync(await readFile(path));
  const files = Object.values(source.files).filter((f) => !f.dir);
  const rank = (name: string) => (first.includes(name) ? first.indexOf(name) : first.length);
  const zip = new JSZip();
  for (const file of files.sort((a, b) => rank(a.name) - rank(b.name))) zip.file(file.name, await file.async('nodebuffer'));
  await writeFile(target, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return target;
}

/** The order Excel's own files never have, but other writers do: everything a sheet refers to first. */
export const METADATA_FIRST = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml'];

export interface RawSheet {
  name: string;
  /** The children of `<sheetData>`. */
  sheetData: string;
}

export interface RawWorkbook {
  sheets: RawSheet[];
  /** The `<si>` elements of xl/sharedStrings.xml; no shared-strings part when left out. */
  sharedStrings?: string[];
  /** Custom number formats (id ≥ 164 → code) and the numFmtId of each cell style (index = `s`). */
  numFmts?: Record<number, string>;
  cellStyles?: number[];
  /** The `date1904` attribute of `<workbookPr>`, written as given. */
  date1904?: string;
  /** Parts in zip order; the default puts the worksheets before everything they refer to. */
  order?: 'sheets-first' | 'metadata-first';
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Writes a minimal but valid .xlsx from hand-written sheet XML. */
export async function writeRawWorkbook(path: string, book: RawWorkbook): Promise<string> {
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const parts: Record<string, string> = {};

  parts['[Content_Types].xml'] =
    `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    book.sheets
      .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
      .join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    (book.sharedStrings
      ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      : '') +
    '</Types>';
  parts['_rels/.rels'] =
    `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  parts['xl/workbook.xml'] =
    `${xmlHead}<workbook xmlns="${ns}" xmlns:r="${rns}">` +
    `<workbookPr${book.date1904 === undefined ? '' : ` date1904="${book.date1904}"`}/><sheets>` +
    book.sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const n = book.sheets.length;
  parts['xl/_rels/workbook.xml.rels'] =
    `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    book.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${n + 1}" Type="${rel}/styles" Target="styles.xml"/>` +
    (book.sharedStrings ? `<Relationship Id="rId${n + 2}" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
    '</Relationships>';
  const numFmts = Object.entries(book.numFmts ?? {});
  const cellStyles = book.cellStyles ?? [0];
  parts['xl/styles.xml'] =
    `${xmlHead}<styleSheet xmlns="${ns}">` +
    (numFmts.length
      ? `<numFmts count="${numFmts.length}">${numFmts.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`).join('')}</numFmts>`
      : '') +
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${cellStyles.length}">` +
    cellStyles.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`).join('') +
    '</cellXfs></styleSheet>';
  if (book.sharedStrings) {
    parts['xl/sharedStrings.xml'] =
      `${xmlHead}<sst xmlns="${ns}" count="${book.sharedStrings.length}" uniqueCount="${book.sharedStrings.length}">` +
      book.sharedStrings.map((si) => `<si>${si}</si>`).join('') +
      '</sst>';
  }
  const sheetParts: [string, string][] = book.sheets.map((s, i) => [
    `xl/worksheets/sheet${i + 1}.xml`,
    `${xmlHead}<worksheet xmlns="${ns}" xmlns:r="${rns}"><sheetData>${s.sheetData}</sheetData></worksheet>`,
  ]);
  const metadata = Object.entries(parts);
  const order = book.order === 'metadata-first' ? [...metadata, ...sheetParts] : [...sheetParts, ...metadata];
  const zip = new JSZip();
  for (const [name, xml] of order) zip.file(name, xml);
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}
