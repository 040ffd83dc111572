import { opStatsContract, postDeductionContract, preDeductionContract, topUpContract, type CellValue } from '@sp01/contracts';
import { SourceFileError } from '@sp01/core';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CONTRACTS, openFile, readFile, TOP_UP_EN, TOP_UP_NAMES, TOP_UP_ZH, topUpCells } from './__fixtures__/reports.js';
import {
  fixtureDir,
  METADATA_FIRST,
  moveZipPartsFirst,
  writeRawWorkbook,
  writeWorkbook,
  type FixtureCell,
  type FixtureSheet,
  type FixtureWorkbookOptions,
} from './__fixtures__/workbooks.js';
import { isTotalsLabel } from './index.js';

let dir: Awaited<ReturnType<typeof fixtureDir>>;
let count = 0;
beforeAll(async () => {
  dir = await fixtureDir();
});
afterAll(async () => {
  await dir.remove();
});
const file = (name: string) => dir.file(`${++count}-${name}`);

const wallClock = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi, s));
const at = wallClock(2025, 3, 25, 14, 3, 22);

/** The cells a reader should hand over for topUpCells(i). */
const topUpRecord = (i: number) => Object.fromEntries(TOP_UP_NAMES.map((name, c) => [name, topUpCells(i)[c] ?? null]));

/*
 * Excel and exceljs put the worksheets before the shared strings, styles and workbook.xml,
 * so sheets are spooled to disk; other writers put them last and sheets are parsed straight
 * from the zip. Every behaviour must hold either way.
 */
const PART_ORDERS = [
  { order: 'sheets first (spooled)', rawOrder: 'sheets-first' as const, prepare: (path: string) => Promise.resolve(path) },
  {
    order: 'metadata first (streamed)',
    rawOrder: 'metadata-first' as const,
    prepare: (path: string) => moveZipPartsFirst(path, path.replace(/\.xlsx$/, '.streamed.xlsx'), METADATA_FIRST),
  },
];

describe.each(PART_ORDERS)('openReport, parts $order', ({ prepare, rawOrder }) => {
  const write = async (name: string, sheets: FixtureSheet[], options?: FixtureWorkbookOptions) =>
    prepare(await writeWorkbook(file(name), sheets, options));

  describe('finding the report', () => {
    it.each([
      { headers: 'Chinese headers', header: TOP_UP_ZH },
      { headers: 'English aliases', header: TOP_UP_EN },
      { headers: 'canonical names', header: TOP_UP_NAMES },
      {
        headers: 'headers in any case, padded, full-width',
        header: [' 訂單編號 ', 'user id', 'TOP-UP TIME', '儲值金額\u3000', 'ＣＵＲＲＥＮＣＹ', '  Points', 'payment  method', 'PLATFORM', '頻道ＩＤ', 'Member Level', 'status ', '優惠代碼'],
      },
      { headers: 'headers in another order', header: [...TOP_UP_ZH].reverse(), reversed: true },
    ])('reads a top-up report with $headers', async ({ header, reversed }) => {
      const data = reversed ? [...topUpCells(1)].reverse() : topUpCells(1);
      const path = await write('header.xlsx', [{ name: '儲值紀錄', rows: [header, data] }]);
      const { report, rows } = await readFile(path);

      expect(report).toMatchObject({ domain: 'top_up', contract: topUpContract, sheet: '儲值紀錄', headerRow: 1 });
      expect(report.columns).toEqual(
        header.map((h, c) => ({ index: c + 1, name: reversed ? TOP_UP_NAMES[TOP_UP_NAMES.length - 1 - c] : TOP_UP_NAMES[c], header: h })),
      );
      expect(report.unknownColumns).toEqual([]);
      expect(report.missingOptionalColumns).toEqual([]);
      expect(rows).toEqual([{ sheet: '儲值紀錄', rowNumber: 2, cells: topUpRecord(1) }]);
    });

    it('skips title and export-time rows above the header, merged cells included', async () => {
      const path = await write('titles.xlsx', [
        {
          name: '儲值紀錄',
          rows: [['儲值紀錄 2025-03-25'], ['匯出時間：2025-03-26 08:00:00', undefined, '匯出者：系統'], [], TOP_UP_ZH, topUpCells(1), topUpCells(2)],
          merges: ['A1:L1', 'A2:B2'],
        },
      ]);
      const { report, rows } = await readFile(path);
      expect(report.headerRow).toBe(4);
      expect(rows.map((r) => r.rowNumber)).toEqual([5, 6]);
      expect(rows[0]?.cells).toEqual(topUpRecord(1));
    });

    it('finds the data sheet behind a notes sheet and a pivot summary', async () => {
      const path = await write('sheets.xlsx', [
        { name: '說明', rows: [['本報表說明'], ['欄位', '說明'], ['訂單編號', '儲值訂單的唯一編號'], ['狀態', '成功 / 失敗 / 退款']] },
        { name: '樞紐分析', rows: [['付款方式', '儲值金額'], ['信用卡', 301], ['合計', 301]] },
        { name: 'Data', rows: [TOP_UP_ZH, topUpCells(7)] },
      ]);
      const { report, rows } = await readFile(path);
      expect(report.sheet).toBe('Data');
      expect(rows).toEqual([{ sheet: 'Data', rowNumber: 2, cells: topUpRecord(7) }]);
    });

    it.each([topUpContract, preDeductionContract, postDeductionContract, opStatsContract])(
      'tells the $domain report by its headers',
      async (contract) => {
        const header = contract.columns.map((c) => c.zh);
        const path = await write(`${contract.domain}.xlsx`, [{ name: contract.title.zh, rows: [header, header.map((_, c) => `v${c}`)] }]);
        const { report, rows } = await readFile(path);
        expect(report.domain).toBe(contract.domain);
        expect(Object.keys(rows[0]?.cells ?? {})).toEqual(contract.columns.map((c) => c.name));
      },
    );

    it.each([
      { headerAt: 6, headerScanRows: 6, found: true },
      { headerAt: 7, headerScanRows: 6, found: false },
    ])('looks for the header in the first headerScanRows rows (header at $headerAt, scan $headerScanRows)', async ({ headerAt, headerScanRows, found }) => {
      const rows: FixtureCell[][] = [['儲值紀錄'], ...Array.from({ length: headerAt - 2 }, (_, i) => [`說明 ${i}`]), TOP_UP_ZH, topUpCells(1)];
      const path = await write('deep-header.xlsx', [{ name: 'S', rows }]);
      const opening = openFile(path, { limits: { headerScanRows } });
      if (found) {
        const report = await opening;
        expect(report.headerRow).toBe(headerAt);
        await report.close();
      } else await expect(opening).rejects.toMatchObject({ code: 'no_report_sheet' });
    });
  });

  describe('data rows', () => {
    it('skips blank rows, including rows of spaces, and keeps Excel row numbers', async () => {
      const path = await write('blank.xlsx', [
        { name: 'S', rows: [TOP_UP_ZH, topUpCells(1), [], [' ', null, '\u3000', '\u00a0'], [], topUpCells(2)] },
      ]);
      const { rows } = await readFile(path);
      expect(rows.map((r) => [r.rowNumber, r.cells['order_id']])).toEqual([
        [2, 'T000001'],
        [6, 'T000002'],
      ]);
    });

    it.each(['合計', '總計', '小計', 'Total', 'TOTAL', 'Grand Total', 'grand total', ' total: ', '總計：', '合計'])(
      'skips the totals row "%s", at the end and in between',
      async (label) => {
        const totals = [label, null, null, 303, null, 3003];
        const path = await write('totals.xlsx', [
          { name: 'S', rows: [TOP_UP_ZH, topUpCells(1), totals, topUpCells(2), [null, label, null, 303]] },
        ]);
        const { rows } = await readFile(path);
        expect(rows.map((r) => r.cells['order_id'])).toEqual(['T000001', 'T000002']);
      },
    );

    it('keeps unknown columns out of the cells and lists each once', async () => {
      const header = [...TOP_UP_ZH, '備註', 'Remark', '訂單編號', '  備註 '];
      const data = [...topUpCells(1), 'note', 'remark', 'T-dup', 'again'];
      const noteOnly = [...TOP_UP_ZH.map(() => null), '資料來源：後台'];
      const path = await write('unknown.xlsx', [{ name: 'S', rows: [header, data, noteOnly] }]);
      const { report, rows } = await readFile(path);
      expect(report.unknownColumns).toEqual(['備註', 'Remark', '訂單編號']);
      // The note row has nothing in the report's columns, so it is as good as blank.
      expect(rows).toEqual([{ sheet: 'S', rowNumber: 2, cells: topUpRecord(1) }]);
    });

    it('reports optional columns the sheet does not have and leaves them out of the cells', async () => {
      const keep = (c: number) => !['channel_id', 'promo_code'].includes(TOP_UP_NAMES[c] ?? '');
      const path = await write('optional.xlsx', [
        { name: 'S', rows: [TOP_UP_ZH.filter((_, c) => keep(c)), topUpCells(1).filter((_, c) => keep(c))] },
      ]);
      const { report, rows } = await readFile(path);
      expect(report.missingOptionalColumns).toEqual(['channel_id', 'promo_code']);
      expect(Object.keys(rows[0]?.cells ?? {})).not.toContain('promo_code');
      expect(rows[0]?.cells['status']).toBe('成功');
    });
  });

  describe('cell values', () => {
    it.each<{ cell: string; value: FixtureCell; expected: CellValue }>([
      { cell: 'a shared string', value: 'SPRING', expected: 'SPRING' },
      { cell: 'a number stored as text', value: 'NT$1,200', expected: 'NT$1,200' },
      { cell: 'a number', value: 1200.5, expected: 1200.5 },
      { cell: 'a boolean', value: true, expected: true },
      { cell: 'a date', value: { value: at, numFmt: 'yyyy/mm/dd hh:mm:ss' }, expected: at },
      { cell: 'a date in a zh-TW format', value: { value: at, numFmt: 'yyyy"年"m"月"d"日" hh"時"mm"分"ss"秒"' }, expected: at },
      { cell: 'a number in a currency format', value: { value: 1200, numFmt: '"NT$"#,##0' }, expected: 1200 },
      { cell: 'a formula with a number result', value: { formula: 'F2*2', result: 2202 }, expected: 2202 },
      { cell: 'a formula with a zero result', value: { formula: 'F2-F2', result: 0 }, expected: 0 },
      { cell: 'a formula with a text result', value: { formula: 'CONCAT("T","1")', result: 'T1' }, expected: 'T1' },
      { cell: 'a formula with no cached result', value: { formula: 'F2*2' } as ExcelJS.CellFormulaValue, expected: null },
      { cell: 'a formula with a date result', value: { value: { formula: 'C2+1', result: at }, numFmt: 'yyyy-mm-dd hh:mm:ss' }, expected: at },
      { cell: 'rich text', value: { richText: [{ text: 'SPR' }, { font: { bold: true }, text: 'ING' }] }, expected: 'SPRING' },
      { cell: 'a hyperlink', value: { text: 'SPRING', hyperlink: 'https://admin.example.com/promo/SPRING' }, expected: 'SPRING' },
      { cell: 'text with a line break', value: 'SPR\nING', expected: 'SPR\nING' },
    ])('reads $cell', async ({ value, expected }) => {
      const data: FixtureCell[] = topUpCells(1);
      data[11] = value;
      const path = await write('cell.xlsx', [{ name: 'S', rows: [TOP_UP_ZH, data] }]);
      const { rows } = await readFile(path);
      expect(rows[0]?.cells['promo_code']).toEqual(expected);
      expect(rows[0]?.warnings).toBeUndefined();
    });

    it.each([
      { cell: 'an error cell', value: { error: '#N/A' } as ExcelJS.CellErrorValue, error: '#N/A' },
      { cell: 'a formula that evaluated to an error', value: { formula: 'D2/0', result: { error: '#DIV/0!' } } as ExcelJS.CellFormulaValue, error: '#DIV/0!' },
    ])('reads $cell as blank, with a warning naming the column and the error', async ({ value, error }) => {
      const data: FixtureCell[] = topUpCells(1);
      data[3] = value;
      const path = await write('error.xlsx', [{ name: 'S', rows: [TOP_UP_ZH, data, topUpCells(2)] }]);
      const { rows } = await readFile(path);
      expect(rows[0]?.cells['amount']).toBeNull();
      expect(rows[0]?.warnings).toEqual([`column amount (儲值金額): error ${error} read as blank`]);
      expect(rows[1]?.warnings).toBeUndefined();
    });

    it.each([{ date1904: false }, { date1904: true }])('reads dates of a workbook with date1904 $date1904', async ({ date1904 }) => {
      const data: FixtureCell[] = topUpCells(1);
      data[2] = { value: at, numFmt: 'yyyy/mm/dd hh:mm:ss' };
      data[11] = { value: { formula: 'C2', result: wallClock(1990, 1, 2) }, numFmt: 'yyyy/mm/dd' };
      const path = await write('dates.xlsx', [{ name: 'S', rows: [TOP_UP_ZH, data] }], { date1904 });
      const { report, rows } = await readFile(path);
      expect(report.cellContext).toEqual({ date1904 });
      expect(rows[0]?.cells['topup_at']).toEqual(at);
      expect(rows[0]?.cells['promo_code']).toEqual(wallClock(1990, 1, 2));
    });
  });

  describe('cell XML that exceljs does not write', () => {
    const header = `<row r="1">${TOP_UP_ZH.map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;
    const sharedStrings = [
      '<t>王小明</t><rPh sb="0" eb="3"><t>ワンシャオミン</t></rPh><phoneticPr fontId="1"/>',
      '<r><t>SPR</t></r><r><rPr><b/></rPr><t xml:space="preserve">ING </t></r>',
      '<t>line1_x000D_\nline2 _x005F_x000D_</t>',
    ];
    it.each<{ cell: string; xml: string; expected: CellValue; warning?: string }>([
      { cell: 'inline rich text', xml: '<c t="inlineStr"><is><r><t>SPR</t></r><r><rPr><i/></rPr><t>ING</t></r></is></c>', expected: 'SPRING' },
      { cell: 'inline text with a phonetic guide', xml: '<c t="inlineStr"><is><t>王小明</t><rPh sb="0" eb="3"><t>おう</t></rPh></is></c>', expected: '王小明' },
      { cell: 'a shared string with a phonetic guide', xml: '<c t="s"><v>0</v></c>', expected: '王小明' },
      { cell: 'a shared rich-text string', xml: '<c t="s"><v>1</v></c>', expected: 'SPRING ' },
      { cell: 'escaped control characters', xml: '<c t="s"><v>2</v></c>', expected: 'line1\r\nline2 _x000D_' },
      { cell: 'a shared string index out of range', xml: '<c t="s"><v>99</v></c>', expected: null, warning: 'shared string 99 is missing' },
      { cell: 'a boolean formula', xml: '<c t="b"><f>TRUE()</f><v>1</v></c>', expected: true },
      { cell: 'a text formula', xml: '<c t="str"><f>"S"&amp;"P"</f><v>S&amp;P</v></c>', expected: 'S&P' },
      { cell: 'a formula error', xml: '<c t="e"><f>NA()</f><v>#N/A</v></c>', expected: null, warning: '#N/A' },
      { cell: 'a shared formula', xml: '<c><f t="shared" si="0"/><v>0</v></c>', expected: 0 },
      { cell: 'an ISO date cell', xml: '<c t="d"><v>2025-03-25T14:03:22</v></c>', expected: at },
      { cell: 'a built-in zh-TW date format (31)', xml: '<c s="1"><v>45741.5</v></c>', expected: wallClock(2025, 3, 25, 12) },
      { cell: 'a custom date format', xml: '<c s="2"><v>45741.585671296296</v></c>', expected: at },
      { cell: 'a date formula', xml: '<c s="2"><f>NOW()</f><v>45741.585671296296</v></c>', expected: at },
      { cell: 'a number with a text format', xml: '<c s="3"><v>45741</v></c>', expected: 45741 },
    ])('reads $cell', async ({ xml, expected, warning }) => {
      const row = `<row r="2"><c t="inlineStr"><is><t>T1</t></is></c>${xml.replace('<c', '<c r="L2"')}</row>`;
      const path = await writeRawWorkbook(file('raw.xlsx'), {
        sheets: [{ name: 'S', sheetData: header + row }],
        sharedStrings,
        numFmts: { 164: 'yyyy/mm/dd hh:mm:ss', 165: '@' },
        cellStyles: [0, 31, 164, 165],
        order: rawOrder,
      });
      const { rows } = await readFile(path);
      expect(rows[0]?.cells['order_id']).toBe('T1');
      expect(rows[0]?.cells['promo_code']).toEqual(expected);
      if (warning) expect(rows[0]?.warnings).toEqual([`column promo_code (優惠代碼): error ${warning} read as blank`]);
      else expect(rows[0]?.warnings).toBeUndefined();
    });

    it('places cells and rows that have no reference after their predecessor', async () => {
      const data = '<row><c t="inlineStr"><is><t>T1</t></is></c><c t="inlineStr"><is><t>U1</t></is></c><c r="L3" t="inlineStr"><is><t>P</t></is></c></row>';
      const path = await writeRawWorkbook(file('no-refs.xlsx'), {
        sheets: [{ name: 'S', sheetData: header.replace('<row r="1">', '<row r="2">') + data }],
        order: rawOrder,
      });
      const { report, rows } = await readFile(path);
      expect(report.headerRow).toBe(2);
      expect(rows).toEqual([expect.objectContaining({ rowNumber: 3, cells: expect.objectContaining({ order_id: 'T1', user_id: 'U1', promo_code: 'P' }) })]);
    });

    it.each([
      { attribute: '1', date1904: true },
      { attribute: 'true', date1904: true },
      { attribute: '0', date1904: false },
      { attribute: undefined, date1904: false },
    ])('reads date1904="$attribute" as $date1904', async ({ attribute, date1904 }) => {
      const path = await writeRawWorkbook(file('1904.xlsx'), {
        sheets: [{ name: 'S', sheetData: `${header}<row r="2"><c r="C2" s="1"><v>1</v></c></row>` }],
        cellStyles: [0, 22],
        date1904: attribute,
        order: rawOrder,
      });
      const { report, rows } = await readFile(path);
      expect(report.cellContext).toEqual({ date1904 });
      expect(rows[0]?.cells['topup_at']).toEqual(date1904 ? wallClock(1904, 1, 2) : wallClock(1900, 1, 1));
    });
  });
});

describe('isTotalsLabel', () => {
  it.each([
    ['合計', true],
    ['總計', true],
    ['小計', true],
    ['Total', true],
    ['GRAND TOTAL', true],
    ['Ｔｏｔａｌ', true],
    ['Total:', true],
    ['Totally', false],
    ['合計金額', false],
    ['T000001', false],
  ])('%s → %s', (text, expected) => {
    expect(isTotalsLabel(text)).toBe(expected);
  });
});

describe('openReport, contracts offered', () => {
  it('only finds the reports it is asked for', async () => {
    const path = await writeWorkbook(file('only.xlsx'), [{ name: 'S', rows: [TOP_UP_ZH, topUpCells(1)] }]);
    await expect(openFile(path, { contracts: [opStatsContract] })).rejects.toBeInstanceOf(SourceFileError);
    const report = await openFile(path, { contracts: ALL_CONTRACTS });
    expect(report.domain).toBe('top_up');
    await report.close();
  });
});
