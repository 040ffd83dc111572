import JSZip from 'jszip';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFile, TOP_UP_ZH } from './__fixtures__/reports.js';
import { fixtureDir, writeLargeWorkbook } from './__fixtures__/workbooks.js';
import { parseSax, type SaxEvent } from './exceljs-parts.js';

/*
 * exceljs decoded every chunk of inflated XML on its own, so a Chinese character whose
 * UTF-8 bytes straddle two chunks became two U+FFFD (exceljs #2063, #2084, #2316).
 * patches/exceljs+4.4.0.patch makes its SAX adapter carry the partial bytes over.
 */

async function saxText(chunks: (Buffer | string)[]): Promise<string> {
  let text = '';
  for await (const events of parseSax((async function* () { yield* chunks; })())) {
    for (const event of events as SaxEvent[]) if (event.eventType === 'text') text += event.value;
  }
  return text;
}

describe('the patched exceljs SAX adapter', () => {
  const xml = Buffer.from('<t>儲值𠮷紀錄</t>');
  it.each([4, 5, 6, 7, 8, 9, 10, 11, 12, 13])('decodes a character split at byte %i', async (at) => {
    expect(await saxText([xml.subarray(0, at), xml.subarray(at)])).toBe('儲值𠮷紀錄');
  });

  it('decodes a character split over three chunks, one byte at a time', async () => {
    expect(await saxText([...xml].map((byte) => Buffer.from([byte])))).toBe('儲值𠮷紀錄');
  });
});

const ROWS = 20_000;

/** Text cells of row i: several CJK characters each, one outside the BMP (4 bytes in UTF-8). */
function chineseRow(i: number): (string | number)[] {
  return [
    `訂單編號－${i}`,
    `會員${i}號：陳大文`,
    '2025/03/25 14:03:22',
    100 + (i % 900),
    'TWD',
    1000,
    '街口支付',
    '網頁',
    `頻道「${i}」直播間`,
    '鑽石',
    '成功',
    `春節優惠𠮷${i}碼`,
  ];
}

/** How many 16 KiB boundaries of the part fall inside a multi-byte character. */
async function splitCharacters(path: string, part: string): Promise<{ bytes: number; splits: number }> {
  const data = await (await JSZip.loadAsync(await readFile(path))).file(part)?.async('nodebuffer');
  if (!data) throw new Error(`${part} not found`);
  let splits = 0;
  for (let at = 16384; at < data.length; at += 16384) if (((data[at] ?? 0) & 0xc0) === 0x80) splits++;
  return { bytes: data.length, splits };
}

describe('a large workbook of Chinese text', () => {
  let dir: Awaited<ReturnType<typeof fixtureDir>>;
  beforeAll(async () => {
    dir = await fixtureDir();
  });
  afterAll(async () => {
    await dir.remove();
  });

  it.each([
    // The shared strings are parsed as they inflate; the sheet is parsed from its spooled copy.
    { strings: 'shared strings', useSharedStrings: true, part: 'xl/sharedStrings.xml' },
    { strings: 'strings in the sheet', useSharedStrings: false, part: 'xl/worksheets/sheet1.xml' },
  ])('reads back every character exactly ($strings)', async ({ useSharedStrings, part }) => {
    const path = await writeLargeWorkbook(dir.file(`chinese-${useSharedStrings}.xlsx`), {
      name: '儲值紀錄',
      header: TOP_UP_ZH,
      rowCount: ROWS,
      row: chineseRow,
      useSharedStrings,
    });

    const { bytes, splits } = await splitCharacters(path, part);
    expect(bytes).toBeGreaterThan(1024 * 1024);
    expect(splits).toBeGreaterThan(20);

    const report = await openFile(path);
    const textColumns = report.columns.filter((c) => typeof chineseRow(0)[c.index - 1] === 'string');
    let count = 0;
    let mismatches = 0;
    let replacementChars = 0;
    for await (const row of report.rows) {
      const expected = chineseRow(count++);
      for (const column of textColumns) {
        const value = row.cells[column.name];
        if (value !== expected[column.index - 1]) mismatches++;
        if (typeof value === 'string' && value.includes('\uFFFD')) replacementChars++;
      }
    }
    expect({ count, mismatches, replacementChars }).toEqual({ count: ROWS, mismatches: 0, replacementChars: 0 });
  });
});
