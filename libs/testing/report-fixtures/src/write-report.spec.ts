import type ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_CONTRACTS, type Domain } from '@sp01/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFields, headerMap, plainCell, readBook, sheetNamed, sourceCells, type ReadBook } from './__fixtures__/read-back.js';
import { expectedRows } from './records.js';
import { CLEAN_TRAITS, MESSY_TRAITS, type GeneratedReport, type MessTraits, type ReportOptions } from './traits.js';
import { writeReport } from './write-report.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-fixtures-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCount = 0;
async function written(options: ReportOptions): Promise<{ report: GeneratedReport; book: ReadBook }> {
  const report = await writeReport(join(dir, `r${++fileCount}.xlsx`), options);
  return { report, book: await readBook(report.path) };
}

const DOMAINS: Domain[] = ['top_up', 'pre_deduction', 'post_deduction', 'op_stats'];
const BASE = { seed: 42, date: '2025-03-18', rows: 40 } as const;
const TOTALS_LABELS = ['合計', '總計', 'Total', 'TOTAL'];
const BLANK = /^[\s\u00a0\u3000]*$/;

describe('writeReport: a reader gets back exactly the truth', () => {
  const cases = DOMAINS.flatMap((domain) =>
    [
      { name: 'clean', traits: CLEAN_TRAITS, language: 'zh' as const, streaming: false },
      { name: 'clean, streaming, English', traits: CLEAN_TRAITS, language: 'en' as const, streaming: true },
      { name: 'messy', traits: MESSY_TRAITS, language: 'mixed' as const, streaming: false },
      { name: 'messy, streaming', traits: MESSY_TRAITS, language: 'mixed' as const, streaming: true },
    ].map((c) => ({ ...c, domain })),
  );

  it.each(cases)('$domain, $name', async ({ domain, traits, language, streaming }) => {
    const options: ReportOptions = { ...BASE, domain, traits, language, streaming, badRows: 3 };
    const { report, book } = await written(options);
    const expected = [...expectedRows(options)];
    const sheet = sheetNamed(book, report.sheet);
    const map = headerMap(domain, sheet.rows.get(report.headerRow) ?? []);
    const present = REPORT_CONTRACTS[domain].columns.filter((c) => report.columns.includes(c.name)).map((c) => c.name);
    expect([...map.values()].sort()).toEqual([...present].sort());
    expect(book.date1904).toBe(traits.date1904);
    expect(report.rows).toBe(expected.length);
    expect(report.keys).toEqual(expected.flatMap((r) => (r.key === undefined ? [] : [r.key])));
    expect(report.badRows).toEqual(expected.flatMap((r) => (r.bad ? [r.bad] : [])));
    expect(report.badRows).toHaveLength(3);

    const schema = REPORT_CONTRACTS[domain].rowSchema({ date1904: book.date1904 });
    for (const row of expected) {
      const cells = sourceCells(map, sheet.rows.get(row.rowNumber) ?? []);
      const parsed = schema.safeParse(cells);
      if (row.bad) {
        expect(parsed.success, `row ${row.rowNumber} should break ${row.bad.column}`).toBe(false);
        const issues = parsed.error?.issues.map((i) => ({ column: i.path[0], reason: i.message }));
        expect(issues).toEqual([{ column: row.bad.column, reason: row.bad.reason }]);
      } else {
        expect(parsed.error?.issues, `row ${row.rowNumber}`).toBeUndefined();
        expect(parsed.data).toEqual(contractFields(domain, row.record));
      }
    }

    // Everything else below the header is blank, or the totals row at the end.
    const dataRows = new Set(expected.map((r) => r.rowNumber));
    const others = [...sheet.rows.keys()].filter((n) => n > report.headerRow && !dataRows.has(n));
    for (const n of others) {
      const cells = (sheet.rows.get(n) ?? []).map((c) => plainCell(c));
      const isTotals = TOTALS_LABELS.includes(String(cells[0]));
      const isBlank = cells.every((c) => c === null || BLANK.test(String(c)));
      expect(isTotals || isBlank, `row ${n}: ${JSON.stringify(cells)}`).toBe(true);
    }
  });
});

type Check = (ctx: { report: GeneratedReport; book: ReadBook; column(name: string): ExcelJS.CellValue[]; header: ExcelJS.CellValue[] }) => void;

function dataColumn(book: ReadBook, report: GeneratedReport, name: string): ExcelJS.CellValue[] {
  const sheet = sheetNamed(book, report.sheet);
  const index = report.columns.indexOf(name);
  return [...sheet.rows.entries()].filter(([n]) => n > report.headerRow).map(([, cells]) => cells[index] ?? null);
}

const isObject = (key: string) => (v: ExcelJS.CellValue) => typeof v === 'object' && v !== null && !(v instanceof Date) && key in v;
const kindOf = (v: ExcelJS.CellValue): string =>
  v instanceof Date ? 'date' : typeof v === 'number' ? 'number' : typeof v === 'string' ? v.replace(/\d/g, '9') : 'other';

const TRAIT_CHECKS: [string, Partial<MessTraits>, Check][] = [
  [
    'titleRows',
    { titleRows: true },
    ({ report, book }) => {
      expect(report.headerRow).toBeGreaterThan(2);
      expect(String(sheetNamed(book, report.sheet).rows.get(1)?.[0])).toContain('儲值紀錄');
    },
  ],
  ['mergedTitle', { mergedTitle: true }, ({ report, book }) => expect(sheetNamed(book, report.sheet).merges).toContain(`A1:${String.fromCharCode(64 + report.columns.length)}1`)],
  [
    'notesSheetFirst',
    { notesSheetFirst: true },
    ({ book }) => {
      expect(book.sheets.map((s) => s.name)).toEqual(['說明', '儲值紀錄']);
      const firstColumn = [...(book.sheets[0]?.rows.values() ?? [])].map((r) => r[0]);
      expect(firstColumn).toContain('訂單編號');
    },
  ],
  ['summarySheet', { summarySheet: true }, ({ book }) => expect(book.sheets.at(-1)?.rows.get(1)?.[0]).toBe('付款方式')],
  [
    'blankRows',
    { blankRows: true },
    ({ report, book }) => {
      const numbers = [...sheetNamed(book, report.sheet).rows.keys()].filter((n) => n > report.headerRow);
      const span = (numbers.at(-1) as number) - report.headerRow;
      expect(span).toBeGreaterThan(report.rows);
    },
  ],
  ['numbersAsText', { numbersAsText: true }, ({ column }) => expect([...column('amount'), ...column('points')].some((v) => typeof v === 'string')).toBe(true)],
  ['paddedText', { paddedText: true }, ({ column }) => expect(column('order_id').some((v) => typeof v === 'string' && /^\s|\s$/.test(v))).toBe(true)],
  ['blankDefaults', { blankDefaults: true }, ({ column }) => expect(column('currency').some((v) => v === null)).toBe(true)],
  ['dateStyle date-cell', { dateStyle: 'date-cell' }, ({ column }) => expect(new Set(column('topup_at').map(kindOf))).toEqual(new Set(['date']))],
  ['dateStyle serial', { dateStyle: 'serial' }, ({ column }) => expect(new Set(column('topup_at').map(kindOf))).toEqual(new Set(['number']))],
  ['dateStyle text-slash', { dateStyle: 'text-slash' }, ({ column }) => expect(new Set(column('topup_at').map(kindOf))).toEqual(new Set(['9999/99/99 99:99:99']))],
  ['dateStyle text-iso-t', { dateStyle: 'text-iso-t' }, ({ column }) => expect(new Set(column('topup_at').map(kindOf))).toEqual(new Set(['9999-99-99T99:99:99']))],
  ['dateStyle text-minutes', { dateStyle: 'text-minutes' }, ({ column }) => expect(new Set(column('topup_at').map(kindOf))).toEqual(new Set(['9999-99-99 99:99']))],
  ['dateStyle text-compact', { dateStyle: 'text-compact' }, ({ column }) => expect(new Set(column('topup_at').map(kindOf))).toEqual(new Set(['99999999999999']))],
  ['dateStyle mixed', { dateStyle: 'mixed' }, ({ column }) => expect(new Set(column('topup_at').map(kindOf)).size).toBeGreaterThanOrEqual(4)],
  [
    'date1904',
    { date1904: true },
    ({ book, column }) => {
      expect(book.date1904).toBe(true);
      expect(column('topup_at').every((v) => v instanceof Date && v.getUTCFullYear() === 2025)).toBe(true);
    },
  ],
  ['formulas', { formulas: true }, ({ column }) => expect(column('points').some(isObject('formula'))).toBe(true)],
  ['richText', { richText: true }, ({ column, header }) => {
    expect(column('user_id').some(isObject('richText'))).toBe(true);
    expect(header.some(isObject('richText'))).toBe(true);
  }],
  ['hyperlinks', { hyperlinks: true }, ({ column }) => expect(column('order_id').some(isObject('hyperlink'))).toBe(true)],
  ['errorCells', { errorCells: true }, ({ column }) => expect([...column('channel_id'), ...column('promo_code')].some(isObject('error'))).toBe(true)],
  ['enumLabels zh', { enumLabels: 'zh' }, ({ column }) => expect(['成功', '失敗', '退款']).toEqual(expect.arrayContaining([...new Set(column('status'))]))],
  ['enumLabels en', { enumLabels: 'en' }, ({ column }) => expect(['Success', 'Failed', 'Refunded']).toEqual(expect.arrayContaining([...new Set(column('status'))]))],
  ['enumLabels code', { enumLabels: 'code' }, ({ column }) => expect(new Set(column('member_level').map((v) => typeof v))).toEqual(new Set(['number']))],
  ['enumLabels mixed', { enumLabels: 'mixed' }, ({ column }) => expect(new Set(column('payment_method')).size).toBeGreaterThan(6)],
  [
    'extraColumns',
    { extraColumns: true },
    ({ report, header }) => {
      expect(header[0]).toBe('序號');
      expect(report.columns.filter((c) => c.startsWith('extra:')).length).toBeGreaterThanOrEqual(2);
    },
  ],
  [
    'dropOptionalColumns',
    { dropOptionalColumns: true },
    ({ report, header }) => {
      expect(report.columns.length).toBeLessThan(REPORT_CONTRACTS.top_up.columns.length);
      expect(header.length).toBe(report.columns.length);
    },
  ],
  [
    'shuffleColumns',
    { shuffleColumns: true },
    ({ report }) => expect(report.columns).not.toEqual(REPORT_CONTRACTS.top_up.columns.map((c) => c.name)),
  ],
];

describe('writeReport: each trait shows in the file', () => {
  it.each(TRAIT_CHECKS)('%s', async (_name, traits, check) => {
    const { report, book } = await written({ ...BASE, rows: 120, domain: 'top_up', traits });
    const header = sheetNamed(book, report.sheet).rows.get(report.headerRow) ?? [];
    check({ report, book, header, column: (name) => dataColumn(book, report, name) });
  });

  it.each([
    ['zh', ['合計', '總計']],
    ['en', ['Total', 'TOTAL']],
  ] as const)('totalsRow %s: a labelled last row with sums, as SUM formulas when formulas is on', async (totalsRow, labels) => {
    for (const formulas of [false, true]) {
      const { report, book } = await written({ ...BASE, domain: 'top_up', traits: { totalsRow, formulas } });
      const sheet = sheetNamed(book, report.sheet);
      const last = sheet.rows.get(Math.max(...sheet.rows.keys())) ?? [];
      expect(labels).toContain(last[0]);
      const points = last[report.columns.indexOf('points')];
      const truth = [...expectedRows({ ...BASE, domain: 'top_up' })].reduce((sum, r) => sum + r.record.points, 0);
      expect(plainCell(points)).toBe(truth);
      expect(isObject('formula')(points ?? null)).toBe(formulas);
    }
  });

  it.each(DOMAINS)('%s: bad rows sit where the result says, spread through the data', async (domain) => {
    const { report } = await written({ ...BASE, domain, rows: 100, badRows: 5 });
    const rowNumbers = report.badRows.map((b) => b.rowNumber);
    expect(rowNumbers).toHaveLength(5);
    expect(new Set(report.badRows.map((b) => `${b.column}: ${b.reason}`)).size).toBe(5);
    expect(rowNumbers[0]).toBeGreaterThan(report.headerRow);
    expect((rowNumbers.at(-1) as number) - (rowNumbers[0] as number)).toBeGreaterThan(report.rows / 2);
  });
});

describe('writeReport: reproducible files', () => {
  it.each([false, true])('streaming=%s: the same options give the same bytes and the export time as mtime', async (streaming) => {
    const options: ReportOptions = { ...BASE, domain: 'pre_deduction', traits: MESSY_TRAITS, badRows: 2, streaming };
    const a = await writeReport(join(dir, `same-a-${streaming}.xlsx`), options);
    const b = await writeReport(join(dir, `same-b-${streaming}.xlsx`), options);
    const c = await writeReport(join(dir, `other-${streaming}.xlsx`), { ...options, seed: 43 });
    const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
    expect(await sha(b.path)).toBe(await sha(a.path));
    expect(await sha(c.path)).not.toBe(await sha(a.path));
    expect((await readBook(b.path)).sheets).toEqual((await readBook(a.path)).sheets);
    expect((await stat(a.path)).mtime.toISOString()).toBe('2025-03-19T01:00:00.000Z');
    expect(a.exportedAt.toISOString()).toBe('2025-03-19T01:00:00.000Z');
  });

  it('streaming and in-memory writers produce the same cells', async () => {
    const options: ReportOptions = { ...BASE, domain: 'top_up', traits: MESSY_TRAITS, language: 'mixed', badRows: 2 };
    const memory = await written(options);
    const streamed = await written({ ...options, streaming: true });
    expect(streamed.book.sheets.map((s) => [s.name, [...s.rows]])).toEqual(memory.book.sheets.map((s) => [s.name, [...s.rows]]));
  });
});
