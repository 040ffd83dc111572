import { readFileSync } from 'node:fs';
import type { SeedNode } from './graph.js';

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; returns rows of raw strings. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** A seed's contents: header and rows, empty cells as null (as dbt loads them). */
export interface SeedData {
  columns: string[];
  rows: (string | null)[][];
  /** `column_types` from config; columns without one are for the adapter to infer. */
  column_types: Record<string, string>;
}

export function readSeed(node: SeedNode): SeedData {
  const [header = [], ...body] = parseCsv(readFileSync(node.seed_file_path, 'utf8'), node.config.delimiter);
  const columns = header.map((c) => c.trim());
  return {
    columns,
    rows: body.map((cells) => columns.map((_, i) => (cells[i] === undefined || cells[i] === '' ? null : (cells[i] as string)))),
    column_types: node.config.column_types,
  };
}

/** Typed values for CSV fixtures: numbers, booleans and null look like what they are. */
export function csvRecords(text: string): Record<string, unknown>[] {
  const [header = [], ...body] = parseCsv(text.trim());
  const columns = header.map((c) => c.trim());
  return body.map((cells) => Object.fromEntries(columns.map((column, i) => [column, csvValue(cells[i])])));
}

function csvValue(cell: string | undefined): unknown {
  if (cell === undefined || cell === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(cell)) return Number(cell);
  if (cell === 'true' || cell === 'false') return cell === 'true';
  return cell;
}
