import ExcelJS from 'exceljs';
import { headerLabels, normalizeHeader, REPORT_CONTRACTS, type CellValue, type Domain, type SourceCells } from '@sp01/contracts';

/** A workbook read back with exceljs's non-streaming reader, as plain data. */
export interface ReadBook {
  date1904: boolean;
  sheets: ReadSheet[];
}

export interface ReadSheet {
  name: string;
  /** Raw exceljs values by row number (1-based), each row's cells from column 1. */
  rows: Map<number, ExcelJS.CellValue[]>;
  merges: string[];
}

export async function readBook(path: string): Promise<ReadBook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return {
    date1904: book.properties.date1904 === true,
    sheets: book.worksheets.map((ws) => {
      const rows = new Map<number, ExcelJS.CellValue[]>();
      ws.eachRow((row, rowNumber) => {
        const cells: ExcelJS.CellValue[] = [];
        for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).value);
        // Writers differ in whether a null cell is stored; a trailing blank is no content.
        while (cells.length > 0 && (cells.at(-1) === null || cells.at(-1) === undefined)) cells.pop();
        rows.set(rowNumber, cells);
      });
      return { name: ws.name, rows, merges: [...((ws.model as { merges?: string[] }).merges ?? [])] };
    }),
  };
}

export function sheetNamed(book: ReadBook, name: string): ReadSheet {
  const sheet = book.sheets.find((s) => s.name === name);
  if (!sheet) throw new Error(`no sheet ${name} in ${book.sheets.map((s) => s.name).join(', ')}`);
  return sheet;
}

/** An exceljs value as the contract's CellValue: cached formula results, rich text joined, error cells blank. */
export function plainCell(value: ExcelJS.CellValue | undefined): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value;
  if ('error' in value) return null;
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return plainCell(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return plainCell((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  return null;
}

export function cellText(value: ExcelJS.CellValue | undefined): string {
  const plain = plainCell(value);
  return plain === null ? '' : plain instanceof Date ? plain.toISOString() : String(plain);
}

/** Header cells matched to canonical columns the way a reader must: by label, not position. */
export function headerMap(domain: Domain, header: ExcelJS.CellValue[]): Map<number, string> {
  const map = new Map<number, string>();
  const columns = REPORT_CONTRACTS[domain].columns;
  header.forEach((cell, i) => {
    const label = normalizeHeader(cellText(cell));
    const column = columns.find((c) => headerLabels(c).includes(label));
    if (column) map.set(i, column.name);
  });
  return map;
}

export function sourceCells(map: Map<number, string>, cells: ExcelJS.CellValue[]): SourceCells {
  const out: SourceCells = {};
  for (const [i, name] of map) out[name] = plainCell(cells[i]);
  return out;
}

/** Only the contract's columns of a canonical record (the derived ones are the transform's). */
export function contractFields(domain: Domain, record: object): Record<string, unknown> {
  const plain = record as Record<string, unknown>;
  return Object.fromEntries(REPORT_CONTRACTS[domain].columns.map((c) => [c.name, plain[c.name]]));
}
