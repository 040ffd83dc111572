import type { Domain, SourceColumn } from '@sp01/contracts';
import type { AnyRecord, BadKind, DomainRecords, DomainSpec, ExtraColumn, PlannedCell } from './domain-spec.js';
import { opStatsSpec } from './op-stats.js';
import { postDeductionSpec } from './post-deduction.js';
import { preDeductionSpec } from './pre-deduction.js';
import {
  columnLetter,
  concreteStyle,
  dateCell,
  enumLabel,
  formulaFor,
  fullWidth,
  numberAsText,
  paddedText,
  richText,
  timestampCell,
  type DateSystem,
} from './presentation.js';
import { mixSeed, Prng } from './prng.js';
import { topUpSpec } from './top-up.js';
import { resolveTraits, type BadRow, type Language, type MessTraits, type ReportOptions } from './traits.js';
import { dayNumber, taipeiInstant, wallClock } from './world.js';

const SPECS: { readonly [D in Domain]: DomainSpec<DomainRecords[D]> } = {
  top_up: topUpSpec,
  pre_deduction: preDeductionSpec,
  post_deduction: postDeductionSpec,
  op_stats: opStatsSpec,
};

export function domainSpec<D extends Domain>(domain: D): DomainSpec<DomainRecords[D]> {
  return SPECS[domain];
}

/** A column as laid out in the sheet: a contract column, an extra one, or the leading row counter. */
export interface LayoutColumn {
  key: string;
  header: PlannedCell;
  source?: SourceColumn;
  extra?: ExtraColumn<AnyRecord>;
  counter?: boolean;
}

export type RowKind = 'title' | 'header' | 'data' | 'blank' | 'totals';

export interface PlannedRow {
  rowNumber: number;
  kind: RowKind;
  cells: PlannedCell[];
  /** Merge the row's cells from column 1 to this column. */
  mergeTo?: number;
  /** For data rows: the canonical record a reader should get back (absent values undefined). */
  record?: AnyRecord;
  key?: string;
  bad?: BadRow;
}

export interface StaticSheet {
  name: string;
  rows: PlannedCell[][];
}

/** A report laid out row by row, before any workbook exists; the writer and the truth both read it. */
export interface ReportPlan {
  domain: Domain;
  traits: MessTraits;
  language: Language;
  sheet: string;
  headerRow: number;
  columns: LayoutColumn[];
  date1904: boolean;
  exportedAt: Date;
  notes?: StaticSheet;
  head: PlannedRow[];
  /** Data, blank and totals rows; one pass only. Fills badRows, keys and dataRows as it goes. */
  body(): Generator<PlannedRow>;
  /** The summary sheet, once body() has been consumed. */
  summary(): StaticSheet | undefined;
  badRows: BadRow[];
  keys: string[];
  dataRows: number;
}

const ERROR_VALUES = ['#N/A', '#N/A', '#VALUE!', '#REF!', '#DIV/0!'];
const TEXT = {
  zh: {
    reportDate: '報表日期：',
    exportedAt: '匯出時間：',
    filter: '篩選條件：全部平台',
    exporter: '匯出人員：system',
    counter: '序號',
    notes: '說明',
    summary: '摘要',
    mixedSheet: '工作表1',
    notesIntro: '本報表由營運後台自動匯出，數值以台北時間為準。',
    dictionary: ['欄位', '說明'],
    count: '筆數',
    total: '總計',
    totals: ['合計', '總計'],
  },
  en: {
    reportDate: 'Report date: ',
    exportedAt: 'Exported at: ',
    filter: 'Filter: all platforms',
    exporter: 'Exported by: system',
    counter: 'No.',
    notes: 'Notes',
    summary: 'Summary',
    mixedSheet: 'Sheet1',
    notesIntro: 'Exported automatically from the back office; times are Asia/Taipei.',
    dictionary: ['Column', 'Description'],
    count: 'Count',
    total: 'Total',
    totals: ['Total', 'TOTAL'],
  },
} as const;

function headerVariant(text: string, rng: Prng): string {
  switch (rng.int(0, 5)) {
    case 0:
      return text.toUpperCase();
    case 1:
      return text.toLowerCase();
    case 2:
      return ` ${text}  `;
    case 3:
      return /^[\x20-\x7e]+$/.test(text) ? fullWidth(text) : `${text}\u3000`;
    default:
      return text;
  }
}

function wallText(instant: Date): string {
  return wallClock(instant).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/');
}

function roundSum(n: number): number {
  return Math.round(n * 100) / 100;
}

export function planReport(options: ReportOptions): ReportPlan {
  const { domain, seed, date } = options;
  const spec = SPECS[domain] as DomainSpec<AnyRecord>;
  const traits = resolveTraits(options.traits);
  const language = options.language ?? 'zh';
  const text = TEXT[language === 'en' ? 'en' : 'zh'];
  const day = dayNumber(date);
  const revision = options.revision ?? 0;
  if (!Number.isInteger(options.rows) || options.rows < 0) throw new Error(`rows must be a whole number >= 0, got ${options.rows}`);
  const exportedAt = options.exportedAt ?? taipeiInstant(day + 1, 9 * 3600);
  const from = options.subset?.from ?? 0;
  const rng = new Prng(mixSeed(seed, 'mess', domain, day, revision, from));
  const system: DateSystem = { date1904: traits.date1904, shiftDateCells: traits.date1904 && options.streaming === true };
  const contract = spec.contract;

  // Columns: dropped, extra, shuffled, headed.
  const dropped = new Set<string>(
    traits.dropOptionalColumns ? rng.shuffle(spec.droppable).slice(0, rng.int(1, Math.min(2, spec.droppable.length))) : [],
  );
  const present = contract.columns.filter((c) => !dropped.has(c.name));
  const presentNames = new Set(present.map((c) => c.name));
  const headerText = (zh: string, en: string): string => {
    if (language === 'zh') return zh;
    if (language === 'en') return en;
    return headerVariant(rng.chance(0.5) ? zh : en, rng);
  };
  let columns: LayoutColumn[] = present.map((c) => ({ key: c.name, header: headerText(c.zh, c.en), source: c }));
  if (traits.extraColumns) {
    const extras = rng.shuffle(spec.extras).slice(0, Math.max(1, rng.int(1, spec.extras.length)));
    columns.push(...extras.map((e) => ({ key: `extra:${e.en}`, header: headerText(e.zh, e.en), extra: e })));
  }
  if (traits.shuffleColumns) columns = rng.shuffle(columns);
  if (traits.extraColumns) columns.unshift({ key: 'extra:No.', header: text.counter, counter: true });
  if (traits.richText) {
    const contractColumns = columns.filter((c) => c.source);
    const target = rng.pick(contractColumns);
    target.header = richText(String(target.header));
  }
  const width = columns.length;
  const columnIndex = new Map(columns.map((c, i) => [c.key, i]));

  // Sheets and the rows above the header.
  const sheet = language === 'mixed' ? text.mixedSheet : spec.sheetName[language];
  const head: PlannedRow[] = [];
  let rowNumber = 0;
  if (traits.titleRows) {
    const title = language === 'en' ? `${contract.title.en} report` : `${contract.title.zh}報表`;
    const lines = [title, `${text.reportDate}${date}`, `${text.exportedAt}${wallText(exportedAt)}\u3000${text.exporter}`];
    if (rng.chance(0.5)) lines.push(text.filter);
    for (const [i, line] of lines.entries()) {
      head.push({
        rowNumber: ++rowNumber,
        kind: 'title',
        cells: [line],
        ...(traits.mergedTitle && (i === 0 || rng.chance(0.5)) ? { mergeTo: Math.max(2, width) } : {}),
      });
    }
    if (rng.chance(0.5)) rowNumber++;
  }
  const headerRow = ++rowNumber;
  head.push({ rowNumber: headerRow, kind: 'header', cells: columns.map((c) => c.header) });

  const notes: StaticSheet | undefined = traits.notesSheetFirst
    ? {
        name: text.notes,
        rows: [
          [language === 'en' ? `${contract.title.en}: notes` : `${contract.title.zh}說明`],
          [text.notesIntro],
          [],
          [...text.dictionary],
          ...present.map((c) => [language === 'en' ? c.en : c.zh, `${c.name} (${c.type})${c.headerRequired ? ', required' : ''}`]),
        ],
      }
    : undefined;

  const source = spec.source(seed, date, options.rows, revision);
  const to = Math.min(options.subset?.to ?? source.count, source.count);
  const n = Math.max(0, to - Math.min(from, to));
  const badCount = Math.min(options.badRows ?? 0, n);
  const kinds = spec.badKinds.filter((k) => presentNames.has(k.column));
  const badAt = new Map<number, BadKind<AnyRecord>>();
  if (kinds.length > 0) {
    const offset = mixSeed(seed, 'bad', domain, day) % kinds.length;
    for (let i = 0; i < badCount; i++) {
      badAt.set(Math.floor(((i + 0.5) * n) / badCount), kinds[(i + offset) % kinds.length] as BadKind<AnyRecord>);
    }
  }
  const keyColumns = new Set(contract.naturalKey);
  const errorColumns = spec.errorColumns.filter((c) => presentNames.has(c));
  const richColumns = spec.richTextColumns.filter((c) => presentNames.has(c));
  const formulaColumns = new Set(spec.formulaColumns.filter((c) => presentNames.has(c)));
  const paddedColumns = new Set(spec.paddedColumns);
  // Each trait shows up at least once, at a fixed early row, then at random.
  const forced = (slot: number) => Math.min(n - 1, slot);

  const plan: ReportPlan = {
    domain,
    traits,
    language,
    sheet,
    headerRow,
    columns,
    date1904: traits.date1904,
    exportedAt,
    ...(notes ? { notes } : {}),
    head,
    badRows: [],
    keys: [],
    dataRows: 0,
    body,
    summary,
  };
  const collectKeys = options.collectKeys ?? true;
  const sums = new Map<string, number>(spec.summable.map((c) => [c, 0]));
  const groups = new Map<string, { count: number; sum: number }>();
  let firstDataRow = 0;
  let lastDataRow = 0;

  function renderCell(
    column: LayoutColumn,
    record: AnyRecord,
    truth: Record<string, unknown>,
    i: number,
    row: { error?: string; rich?: string; bad?: BadKind<AnyRecord> },
  ): PlannedCell {
    if (column.counter) return i + 1;
    if (column.extra) return column.extra.value(rng, record, i);
    const c = column.source as SourceColumn;
    const value = (record as unknown as Record<string, unknown>)[c.name];
    if (row.bad?.column === c.name) return row.bad.value(record);
    if (row.error === c.name) {
      truth[c.name] = undefined;
      return { error: rng.pick(ERROR_VALUES) };
    }
    if (value === undefined || value === null) return null;
    if (traits.blankDefaults && spec.defaults[c.name] === value && rng.chance(0.5)) return null;
    const labels = spec.labels[c.name];
    if (labels) {
      const label = enumLabel(labels, String(value), traits.enumLabels, rng);
      return row.rich === c.name ? richText(String(label)) : label;
    }
    switch (c.type) {
      case 'timestamp': {
        const { cell, readsAs } = timestampCell(value as Date, concreteStyle(traits.dateStyle, rng), system);
        truth[c.name] = readsAs;
        return cell;
      }
      case 'date':
        return dateCell(value as string, concreteStyle(traits.dateStyle, rng), system);
      case 'integer':
      case 'numeric(12,2)':
      case 'numeric(6,2)': {
        const num = value as number;
        if (traits.formulas && formulaColumns.has(c.name) && (i === forced(3) || rng.chance(0.25))) return formulaFor(num);
        if (traits.numbersAsText && (i === forced(0) || rng.chance(0.35))) {
          return numberAsText(num, rng, c.name === 'amount' ? (record as DomainRecords['top_up']).currency : undefined);
        }
        return num;
      }
      case 'text': {
        const textValue = String(value);
        if (row.rich === c.name) return richText(textValue);
        if (traits.hyperlinks && spec.hyperlink.column === c.name && (i === forced(0) || rng.chance(0.3))) {
          return { text: textValue, hyperlink: spec.hyperlink.url(textValue) };
        }
        if (traits.paddedText && paddedColumns.has(c.name) && (i === forced(0) || rng.chance(0.15))) {
          return paddedText(textValue, rng);
        }
        return textValue;
      }
    }
  }

  function* body(): Generator<PlannedRow> {
    const blankAt = forced(Math.floor(n / 2));
    for (let i = 0; i < n; i++) {
      if (traits.blankRows && i > 0 && (i === blankAt || rng.chance(0.01))) {
        rowNumber++;
        // Every other blank row holds whitespace, which still reads as blank.
        if (rng.chance(0.5)) yield { rowNumber, kind: 'blank', cells: [' ', '\u00a0'] };
      }
      const record = source.record(from + i);
      const bad = badAt.get(i);
      const truth: Record<string, unknown> = { ...record };
      for (const name of dropped) truth[name] = undefined;
      const row: { error?: string; rich?: string; bad?: BadKind<AnyRecord> } = {};
      if (bad) row.bad = bad;
      if (traits.errorCells && (i === forced(2) || rng.chance(0.02))) {
        const candidates = errorColumns.filter((c) => c !== bad?.column);
        if (candidates.length > 0) row.error = rng.pick(candidates);
      }
      if (traits.richText && (i === forced(1) || rng.chance(0.06))) {
        const plain = record as unknown as Record<string, unknown>;
        const rich = richColumns.find((c) => c !== bad?.column && c !== row.error && plain[c] !== undefined);
        if (rich) row.rich = rich;
      }
      const cells = columns.map((column) => renderCell(column, record, truth, i, row));
      rowNumber++;
      if (firstDataRow === 0) firstDataRow = rowNumber;
      lastDataRow = rowNumber;
      plan.dataRows++;
      const keyBroken = bad !== undefined && keyColumns.has(bad.column);
      const key = keyBroken ? undefined : spec.key(record);
      if (key !== undefined && collectKeys) plan.keys.push(key);
      let badRow: BadRow | undefined;
      if (bad) {
        const value = bad.value(record);
        badRow = { rowNumber, column: bad.column, reason: bad.reason(record), value, ...(key === undefined ? {} : { key }) };
        plan.badRows.push(badRow);
      }
      const plain = record as unknown as Record<string, unknown>;
      for (const [name, total] of sums) sums.set(name, total + ((plain[name] as number | undefined) ?? 0));
      if (traits.summarySheet) {
        const group = String(plain[spec.summaryBy] ?? '');
        const entry = groups.get(group) ?? { count: 0, sum: 0 };
        entry.count++;
        entry.sum += (plain[spec.summable[0] as string] as number | undefined) ?? 0;
        groups.set(group, entry);
      }
      yield {
        rowNumber,
        kind: 'data',
        cells,
        record: truth as unknown as AnyRecord,
        ...(key === undefined ? {} : { key }),
        ...(badRow ? { bad: badRow } : {}),
      };
    }
    if (traits.totalsRow && n > 0) {
      if (traits.blankRows && rng.chance(0.5)) rowNumber++;
      rowNumber++;
      const cells: PlannedCell[] = columns.map(() => null);
      for (const [name, total] of sums) {
        const index = columnIndex.get(name);
        if (index === undefined) continue;
        const sum = roundSum(total);
        const letter = columnLetter(index + 1);
        cells[index] = traits.formulas ? { formula: `SUM(${letter}${firstDataRow}:${letter}${lastDataRow})`, result: sum } : sum;
      }
      cells[0] = rng.pick(TEXT[traits.totalsRow].totals);
      yield { rowNumber, kind: 'totals', cells };
    }
  }

  function summary(): StaticSheet | undefined {
    if (!traits.summarySheet) return undefined;
    const byColumn = contract.columns.find((c) => c.name === spec.summaryBy) as SourceColumn;
    const sumColumn = contract.columns.find((c) => c.name === spec.summable[0]) as SourceColumn;
    const zh = language !== 'en';
    const rows: PlannedCell[][] = [[zh ? byColumn.zh : byColumn.en, text.count, zh ? sumColumn.zh : sumColumn.en]];
    let count = 0;
    let sum = 0;
    for (const [group, entry] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const labels = spec.labels[spec.summaryBy];
      rows.push([labels ? enumLabel(labels, group, zh ? 'zh' : 'en', rng) : group, entry.count, roundSum(entry.sum)]);
      count += entry.count;
      sum += entry.sum;
    }
    rows.push([text.total, count, roundSum(sum)]);
    return { name: text.summary, rows };
  }

  return plan;
}
