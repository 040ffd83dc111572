import type { Domain } from '@sp01/contracts';

/** Header and title language. `mixed` also varies header case, padding and width per column. */
export type Language = 'zh' | 'en' | 'mixed';

export type DateStyle =
  /** Real date cells (a Date whose UTC fields are the Asia/Taipei wall clock). */
  | 'date-cell'
  /** Excel serial numbers without a date format (1904-based when date1904). */
  | 'serial'
  /** `2025/03/17 14:03:22` */
  | 'text-slash'
  /** `2025-03-17T14:03:22` */
  | 'text-iso-t'
  /** `2025-03-17 14:03`: the seconds are lost, and the truth drops them too. */
  | 'text-minutes'
  /** `20250317140322` (`20250317` for dates). */
  | 'text-compact'
  /** Any of the above, chosen per cell. */
  | 'mixed';

export const DATE_STYLES = ['date-cell', 'serial', 'text-slash', 'text-iso-t', 'text-minutes', 'text-compact'] as const;

export type EnumLabelStyle = 'code' | 'zh' | 'en' | 'mixed';

/** The habits of real back-office exports, each switchable on its own. */
export interface MessTraits {
  /** Report name, report date and export time above the header. */
  titleRows: boolean;
  /** The title rows are merged across the table's width (implies titleRows). */
  mergedTitle: boolean;
  /** A notes sheet (with a column dictionary naming every header) comes before the data sheet. */
  notesSheetFirst: boolean;
  /** A pivot-style summary sheet after the data sheet. */
  summarySheet: boolean;
  /** Empty rows (and whitespace-only rows) inside the data. */
  blankRows: boolean;
  /** A totals row after the data: 合計/總計 or Total, with sums (SUM formulas when formulas is on). */
  totalsRow: 'zh' | 'en' | false;
  /** Numeric cells as text: `1,200`, `NT$1,200`, `1200元`, `１２００`, ` 1200 `, nbsp padding, `(3)`. */
  numbersAsText: boolean;
  /** Ids and labels with leading/trailing spaces, nbsp or ideographic spaces. */
  paddedText: boolean;
  /** Defaults left blank: currency when TWD, quantity when 1. */
  blankDefaults: boolean;
  dateStyle: DateStyle;
  /** The workbook uses the 1904 date system. */
  date1904: boolean;
  /** Formula cells with cached results, and SUM formulas in the totals row. */
  formulas: boolean;
  /** Rich-text cells (and one rich-text header). */
  richText: boolean;
  /** Hyperlink cells on an id column. */
  hyperlinks: boolean;
  /** `#N/A`-style error cells in an optional column; the truth holds blank there. */
  errorCells: boolean;
  /** How enumerations are written: canonical code, Chinese label, English label, or any per cell. */
  enumLabels: EnumLabelStyle;
  /** Columns nobody asked for: a leading 序號/No. column and a few others. */
  extraColumns: boolean;
  /** One or two optional columns left out; the truth holds blank there. */
  dropOptionalColumns: boolean;
  /** Columns in a shuffled order. */
  shuffleColumns: boolean;
}

export const CLEAN_TRAITS: Readonly<MessTraits> = Object.freeze({
  titleRows: false,
  mergedTitle: false,
  notesSheetFirst: false,
  summarySheet: false,
  blankRows: false,
  totalsRow: false,
  numbersAsText: false,
  paddedText: false,
  blankDefaults: false,
  dateStyle: 'date-cell',
  date1904: false,
  formulas: false,
  richText: false,
  hyperlinks: false,
  errorCells: false,
  enumLabels: 'code',
  extraColumns: false,
  dropOptionalColumns: false,
  shuffleColumns: false,
});

/** Every trait at once: the worst file a reader should still read. */
export const MESSY_TRAITS: Readonly<MessTraits> = Object.freeze({
  titleRows: true,
  mergedTitle: true,
  notesSheetFirst: true,
  summarySheet: true,
  blankRows: true,
  totalsRow: 'zh',
  numbersAsText: true,
  paddedText: true,
  blankDefaults: true,
  dateStyle: 'mixed',
  date1904: true,
  formulas: true,
  richText: true,
  hyperlinks: true,
  errorCells: true,
  enumLabels: 'mixed',
  extraColumns: true,
  dropOptionalColumns: true,
  shuffleColumns: true,
});

export interface ReportOptions {
  domain: Domain;
  seed: number;
  /** The business day (YYYY-MM-DD, Asia/Taipei) the report covers. */
  date: string;
  /**
   * Records in the day: top-up orders, pre-deductions, channels (op_stats). For
   * post_deduction, the settlements of the first `rows` deductions of each of the three
   * previous days that fall due on `date` (≈ rows).
   */
  rows: number;
  /** Header and title language; `zh` by default. */
  language?: Language;
  /** Merged over CLEAN_TRAITS. */
  traits?: Partial<MessTraits>;
  /** Rows that break a contract rule, spread evenly through the data. */
  badRows?: number;
  /** Write with exceljs's streaming WorkbookWriter (flat memory, for big files). */
  streaming?: boolean;
  /** Only the records [from, to) of the day: a partial or re-sent export. */
  subset?: { from: number; to?: number };
  /** 0 for the first export; 1+ for a re-sent export whose values were corrected since. */
  revision?: number;
  /** The export time: workbook dates, the title row, zip entry times and the file's mtime. Default: the next day 09:00 Asia/Taipei. */
  exportedAt?: Date;
  /** Collect the natural keys written into the result (default true; turn off for million-row files). */
  collectKeys?: boolean;
}

export interface BadRow {
  /** 1-based sheet row, as Excel shows it. */
  rowNumber: number;
  /** Canonical column whose cell breaks the rule. */
  column: string;
  /** The reason the contract gives for it (same text as its zod issue). */
  reason: string;
  /** The raw value written (null for a blank cell). */
  value: string | number | null;
  /** The record's natural key, unless the bad cell is the key itself. */
  key?: string;
}

export interface GeneratedReport {
  path: string;
  domain: Domain;
  /** The data sheet's name. */
  sheet: string;
  /** Sheets in workbook order (notes, data, summary). */
  sheets: string[];
  headerRow: number;
  /** Columns in written order: canonical names, extra columns as `extra:<English header>`. */
  columns: string[];
  /** Data rows written, bad rows included (not blank or totals rows). */
  rows: number;
  badRows: BadRow[];
  /** Natural keys written, in row order (op_stats: `stat_date|channel_id`). Empty when collectKeys is false. */
  keys: string[];
  date1904: boolean;
  exportedAt: Date;
  traits: MessTraits;
}

export function resolveTraits(partial: Partial<MessTraits> | undefined): MessTraits {
  const traits = { ...CLEAN_TRAITS, ...partial };
  if (traits.mergedTitle) traits.titleRows = true;
  return traits;
}
