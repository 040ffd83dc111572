import type {
  Domain,
  EnumLabels,
  OpStatsRecord,
  PostDeductionRecord,
  PreDeductionRecord,
  ReportContract,
  TopUpRecord,
} from '@sp01/contracts';
import type { Prng } from './prng.js';

/** The canonical record of each domain: what the raw table should hold for a good row. */
export interface DomainRecords {
  top_up: TopUpRecord;
  pre_deduction: PreDeductionRecord;
  post_deduction: PostDeductionRecord;
  op_stats: OpStatsRecord;
}

export type AnyRecord = DomainRecords[Domain];

/** A cell as written; the object forms are exceljs cell values. */
export type PlannedCell =
  | string
  | number
  | Date
  | null
  | { formula: string; result: number | string }
  | { richText: { text: string; font?: { bold?: boolean; color?: { argb: string } } }[] }
  | { text: string; hyperlink: string }
  | { error: string };

/** One day's records with random access, so partial exports and streaming need no array. */
export interface RecordSource<R> {
  count: number;
  record(index: number): R;
}

export interface ExtraColumn<R> {
  zh: string;
  en: string;
  value(rng: Prng, record: R, index: number): string | number | null;
}

/** A way a row can break the contract, with the reason the contract will give. */
export interface BadKind<R> {
  column: string;
  value(record: R): string | number | null;
  reason(record: R): string;
}

/** Everything the planner needs to know about one domain. */
export interface DomainSpec<R> {
  domain: Domain;
  contract: ReportContract<object>;
  /** The data sheet's name per language. */
  sheetName: { zh: string; en: string };
  source(seed: number, date: string, rows: number, revision: number): RecordSource<R>;
  key(record: R): string;
  /** Enumerated columns and the labels a source may use for each code. */
  labels: Readonly<Record<string, EnumLabels<string>>>;
  /** What a blank cell means, for blankDefaults. */
  defaults: Readonly<Record<string, string | number>>;
  /** Optional columns dropOptionalColumns may leave out. */
  droppable: readonly string[];
  /** Optional, nullable columns where an error cell may stand. */
  errorColumns: readonly string[];
  /** Numeric columns written as formulas with cached results. */
  formulaColumns: readonly string[];
  /** Text columns that may hold rich text (first one present wins). */
  richTextColumns: readonly string[];
  /** Id columns that may be padded with odd spaces. */
  paddedColumns: readonly string[];
  hyperlink: { column: string; url(value: string): string };
  /** Numeric columns summed in the totals row and the summary sheet. */
  summable: readonly string[];
  /** The column the summary sheet groups by. */
  summaryBy: string;
  extras: readonly ExtraColumn<R>[];
  badKinds: readonly BadKind<R>[];
}

export function enumReason(labels: EnumLabels<string>): string {
  return `is not one of ${Object.keys(labels).join(', ')}`;
}
