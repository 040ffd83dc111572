import type { z } from 'zod';
import type { CellContext, CellValue } from './cells.js';

export const DOMAINS = [
  'top_up',
  'pre_deduction',
  'post_deduction',
  'op_stats',
] as const; // domains
export type Domain = (typeof DOMAINS)[number];

export function isDomain(value: string): value is Domain {
  return (DOMAINS as readonly string[]).includes(value);
}

/** Warehouse column types, named by what they mean; each loader maps them to its dialect. */
export type ColumnType = 'text' | 'integer' | 'numeric(12,2)' | 'numeric(6,2)' | 'timestamp' | 'date';

/** One column of a source report as the contract names it. */
export interface SourceColumn {
  /** Canonical name: the raw table's column. */
  name: string;
  /** The Chinese header the back office prints. */
  zh: string;
  /** The English alias some exports use instead. */
  en: string;
  type: ColumnType;
  /** The header must be present for a sheet to count as this report. */
  headerRequired: boolean;
  /** The warehouse column may hold NULL. */
  nullable: boolean;
}

export function sourceColumn(
  name: string,
  zh: string,
  en: string,
  type: ColumnType,
  headerRequired: boolean,
  nullable = !headerRequired,
): SourceColumn {
  return { name, zh, en, type, headerRequired, nullable };
}

export interface DerivedColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  description: string;
}

/** A raw source row keyed by canonical column name (only the columns the sheet has). */
export type SourceCells = Record<string, CellValue>;

export interface ReportContract<TRow extends object = Record<string, unknown>> {
  domain: Domain;
  title: { zh: string; en: string };
  /** Columns that identify one record; the newest export of a key wins. */
  naturalKey: readonly string[];
  columns: readonly SourceColumn[];
  derived: readonly DerivedColumn[];
  /** Validates and types a row of cells; its issues carry the column name as path. */
  rowSchema(ctx: CellContext): z.ZodType<TRow>;
}

/** A column of a raw warehouse table: the contract's columns, then derived ones, then lineage. */
export interface WarehouseColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

/** Lineage columns every raw table carries, so any row can be traced to its file and run. */
export const LINEAGE_COLUMNS: readonly WarehouseColumn[] = [
  { name: '_source_file', type: 'text', nullable: false },
  { name: '_source_sheet', type: 'text', nullable: false },
  { name: '_source_row', type: 'integer', nullable: false },
  { name: '_source_modified_at', type: 'timestamp', nullable: false },
  { name: '_run_id', type: 'text', nullable: false },
  { name: '_loaded_at', type: 'timestamp', nullable: false },
];

export function warehouseColumns(contract: ReportContract<object>): WarehouseColumn[] {
  return [
    ...contract.columns.map(({ name, type, nullable }) => ({ name, type, nullable })),
    ...contract.derived.map(({ name, type, nullable }) => ({ name, type, nullable })),
    ...LINEAGE_COLUMNS,
  ];
}

/** Every header label a column may appear under, normalised for matching. */
export function headerLabels(column: SourceColumn): string[] {
  return [...new Set([column.zh, column.en, column.name].map(normalizeHeader))];
}

/** Headers match in any case, with any surrounding or doubled whitespace, full-width or not. */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u00A0\u3000]+/g, ' ')
    .trim()
    .toLowerCase();
}
