import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { SourceFileError } from '@sp01/core';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CONTRACTS, leftovers, openFile, readRows, TOP_UP_ZH, topUpCells } from './__fixtures__/reports.js';
import { fixtureDir, METADATA_FIRST, moveZipPartsFirst, writeLargeWorkbook, writeRawWorkbook, writeWorkbook } from './__fixtures__/workbooks.js';
import { openReport } from './index.js';
import { removeAbandonedSpoolDirs } from './workbook-archive.js';

let dir: Awaited<ReturnType<typeof fixtureDir>>;
let count = 0;
beforeAll(async () => {
  dir = await fixtureDir();
});
afterAll(async () => {
  await dir.remove();
});
const file = (name: string) => dir.file(`${++count}-${name}`);

/** A fresh folder for the reader's spooled sheets, to see that it is left empty. */
async function spoolDir(): Promise<string> {
  const path = dir.file(`spool-${++count}`);
  await mkdir(path);
  return path;
}

/** A byte offset halfway through the worksheet part of a zip: the header is read by then, the rows are not. */
function midSheet(data: Buffer): number {
  const start = data.indexOf('xl/worksheets/sheet1.xml');
  const next = data.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), start);
  return Math.floor((start + (next > start ? next : data.length)) / 2);
}

/**
 * The bytes of a file up to `cutAt`, then (once `gate` resolves, so a test can let the
 * reader get ahead first) the stream fails with `failure`, or just ends, cut short.
 */
function cutStream(data: Buffer, cutAt: number, gate: Promise<void>, failure?: Error): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < cutAt; at += 16384) yield data.subarray(at, Math.min(at + 16384, cutAt));
      await gate;
      if (failure) throw failure;
    })(),
    { objectMode: false },
  );
}

async function expectSourceFileError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceFileError);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toMatch(message);
}

describe('files that are not workbooks', () => {
  it.each([
    { file: 'random.xlsx', why: /not a zip archive/, write: (path: string) => writeFile(path, randomBytes(4096)) },
    {
      file: 'legacy.xls',
      why: /a legacy \.xls workbook or a password-protected \.xlsx/,
      write: (path: string) => writeFile(path, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), randomBytes(4088)])),
    },
    { file: 'empty.xlsx', why: /the file is empty/, write: (path: string) => writeFile(path, '') },
    { file: 'export.txt', why: /not a zip archive/, write: (path: string) => writeFile(path, '訂單編號,會員ID\nT1,U1\n') },
    {
      file: 'archive.xlsx',
      why: /no xl\/workbook\.xml/,
      write: async (path: string) => {
        const zip = new JSZip().file('readme.txt', 'not a workbook');
        await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
      },
    },
    {
      file: 'truncated.xlsx',
      why: /truncated/,
      write: async (path: string) => {
        await writeWorkbook(path, [{ name: 'S', rows: [TOP_UP_ZH, topUpCells(1)] }]);
        const whole = await readFile(path);
        await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
      },
    },
    {
      file: 'broken-xml.xlsx',
      why: /the sheet's XML is not well-formed: its XML ends before the document is complete/,
      write: (path: string) => writeRawWorkbook(path, { sheets: [{ name: 'S', sheetData: '<row r="1"><c r="A1"><v>1</v></c>' }] }),
    },
  ])('rejects $file, naming the file and why', async ({ file: name, why, write }) => {
    const path = file(name);
    await write(path);
    const tempDir = await spoolDir();
    const fileName = basename(path).replace('.', '\\.');
    await expectSourceFileError(openFile(path, { tempDir }), 'not_a_workbook', new RegExp(`file ${fileName}(, sheet "[^"]*")?: not a readable workbook: .*${why.source}`));
    expect(await leftovers(tempDir)).toEqual([]);
  });
});

describe('workbooks without a report sheet', () => {
  it('names the missing required headers of the closest report and the headers found on each sheet', async () => {
    const path = await writeWorkbook(file('no-report.xlsx'), [
      { name: '說明', rows: [['本報表說明'], ['資料日期', '2025-03-25']] },
      { name: 'Data', rows: [['儲值紀錄'], ['訂單編號', '會員ID', '儲值金額', '獲得點數', '付款方式', '備註'], ['T1', 'U1', 100, 1000, '信用卡']] },
      { name: '空白', rows: [] },
    ]);
    const tempDir = await spoolDir();
    const error = await openFile(path, { tempDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'no_report_sheet' });
    const { message } = error as Error;
    expect(message).toContain(`file ${basename(path)}: no sheet has the header row of a known report`);
    expect(message).toContain('the top_up report (儲值紀錄) misses the required headers 儲值時間 / Top-up Time, 狀態 / Status (closest: sheet "Data" row 2)');
    expect(message).toContain('sheet "說明" row 2: 資料日期, 2025-03-25');
    expect(message).toContain('sheet "Data" row 2: 訂單編號, 會員ID, 儲值金額, 獲得點數, 付款方式, 備註');
    expect(message).toContain('sheet "空白": none in the first 50 rows');
    expect(await leftovers(tempDir)).toEqual([]);
  });
});

describe('limits', () => {
  it('refuses a file whose known size is over maxFileBytes without reading it', async () => {
    const path = await writeWorkbook(file('sized.xlsx'), [{ name: 'S', rows: [TOP_UP_ZH, topUpCells(1)] }]);
    const input = createReadStream(path);
    const opening = openReport(input, { fileName: 'sized.xlsx', contracts: ALL_CONTRACTS, sizeBytes: 2_000_000, limits: { maxFileBytes: 1_000_000 } });
    await expectSourceFileError(opening, 'file_too_large', /file sized\.xlsx: the file has 2000000 bytes, more than the 1000000 bytes limit/);
    expect(input.destroyed).toBe(true);
  });

  it('stops reading a file once more than maxFileBytes have streamed in', async () => {
    const path = await writeWorkbook(file('streamed.xlsx'), [{ name: 'S', rows: [TOP_UP_ZH, ...Array.from({ length: 200 }, (_, i) => topUpCells(i))] }]);
    const { size } = await stat(path);
    const tempDir = await spoolDir();
    await expectSourceFileError(openFile(path, { limits: { maxFileBytes: size - 1000 }, tempDir }), 'file_too_large', /larger than the .* limit \(maxFileBytes\)/);
    expect(await leftovers(tempDir)).toEqual([]);
  });

  /** A workbook whose sheet XML, or whose shared strings, inflate to far more than they take in the zip. */
  const bomb = async (name: string, inflating: 'sheet' | 'shared strings') =>
    inflating === 'sheet'
      ? writeLargeWorkbook(file(name), {
          name: '儲值紀錄',
          header: TOP_UP_ZH,
          rowCount: 2500,
          row: (i) => [`T${i}`, `U${i}`, `重複的文字重複的文字${i}`, 100, 'TWD', 1000, '信用卡', 'iOS', `C${i}`, '黃金', '成功', 'x'.repeat(200)],
          useSharedStrings: false,
        })
      : writeLargeWorkbook(file(name), {
          name: 'S',
          header: ['A', 'B'],
          rowCount: 400,
          row: (i) => [`${'重複'.repeat(200)}${i}`, `${'x'.repeat(400)}${i}`],
          useSharedStrings: true,
        });

  it.each([
    { order: 'sheets first', part: 'xl/worksheets/sheet1.xml', inflating: 'sheet' as const, streamed: false },
    { order: 'sheets first', part: 'xl/sharedStrings.xml', inflating: 'shared strings' as const, streamed: false },
    { order: 'metadata first', part: 'xl/sharedStrings.xml', inflating: 'shared strings' as const, streamed: true },
  ])('stops a zip bomb in $part ($order) at maxSheetBytes', async ({ part, inflating, streamed }) => {
    let path = await bomb('bomb.xlsx', inflating);
    if (streamed) path = await moveZipPartsFirst(path, file('bomb-streamed.xlsx'), METADATA_FIRST);
    const tempDir = await spoolDir();
    await expectSourceFileError(
      openFile(path, { limits: { maxSheetBytes: 128 * 1024 }, tempDir }),
      'sheet_too_large',
      new RegExp(`^file ${basename(path)}: ${part.replace('.', '\\.')} inflates to more than 131072 bytes \\(limit maxSheetBytes\\)`),
    );
    expect(await leftovers(tempDir)).toEqual([]);
  });

  it('stops a zip bomb in a sheet that is streamed, from the rows iterator', async () => {
    const path = await moveZipPartsFirst(await bomb('bomb-rows.xlsx', 'sheet'), file('bomb-rows-streamed.xlsx'), METADATA_FIRST);
    const tempDir = await spoolDir();
    const report = await openFile(path, { limits: { maxSheetBytes: 128 * 1024 }, tempDir });
    expect(report.headerRow).toBe(1);
    await expectSourceFileError(readRows(report), 'sheet_too_large', /xl\/worksheets\/sheet1\.xml inflates to more than 131072 bytes/);
    expect(await leftovers(tempDir)).toEqual([]);
  });
});

describe('broken input streams and cleanup', () => {
  let sheetsFirst: string;
  let metadataFirst: string;
  beforeAll(async () => {
    sheetsFirst = await writeLargeWorkbook(file('stream.xlsx'), {
      name: '儲值紀錄',
      header: TOP_UP_ZH,
      rowCount: 4000,
      row: (i) => topUpCells(i),
      useSharedStrings: true,
    });
    metadataFirst = await moveZipPartsFirst(sheetsFirst, file('stream-streamed.xlsx'), METADATA_FIRST);
  });

  it.each([
    { order: 'sheets first', fails: 'while the header is searched', path: () => sheetsFirst, share: 0.6 },
    { order: 'metadata first', fails: 'before any sheet', path: () => metadataFirst, share: 0.001 },
  ])('passes on the input error when it fails $fails ($order)', async ({ path, share }) => {
    const data = await readFile(path());
    const failure = new Error('connection reset by peer');
    const tempDir = await spoolDir();
    const input = cutStream(data, Math.floor(data.length * share), Promise.resolve(), failure);
    await expect(openReport(input, { fileName: 'x.xlsx', contracts: ALL_CONTRACTS, tempDir })).rejects.toBe(failure);
    expect(await leftovers(tempDir)).toEqual([]);
  });

  it.each([
    { ending: 'fails', failure: new Error('socket hang up') },
    { ending: 'ends early', failure: undefined },
  ])('reports an input that $ending mid-sheet from the rows iterator (metadata first)', async ({ failure }) => {
    const data = await readFile(metadataFirst);
    const tempDir = await spoolDir();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const report = await openReport(cutStream(data, midSheet(data), gate, failure), { fileName: 'cut.xlsx', contracts: ALL_CONTRACTS, tempDir });
    release();
    const reading = readRows(report);
    if (failure) await expect(reading).rejects.toBe(failure);
    else await expectSourceFileError(reading, 'not_a_workbook', /file cut\.xlsx: not a readable workbook: its zip archive ends early/);
    expect(await leftovers(tempDir)).toEqual([]);
  });

  // All within the data sheet or before it: an input cut after the data sheet may well be read whole.
  const cuts = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95];
  it.each(
    ['sheets first', 'metadata first'].flatMap((order) =>
      cuts.flatMap((share) => [
        { order, share, ending: 'fails' as const },
        { order, share, ending: 'ends' as const },
      ]),
    ),
  )('fails cleanly, with nothing left behind, when the input $ending at $share of the file ($order)', async ({ order, share, ending }) => {
    const data = await readFile(order === 'sheets first' ? sheetsFirst : metadataFirst);
    const failure = new Error('connection reset');
    const tempDir = await spoolDir();
    const input = cutStream(data, Math.floor(data.length * share), Promise.resolve(), ending === 'fails' ? failure : undefined);
    const outcome = await (async () => {
      const report = await openReport(input, { fileName: 'cut.xlsx', contracts: ALL_CONTRACTS, tempDir });
      return readRows(report);
    })().then(
      (rows) => `read ${rows.length} rows`,
      (error: unknown) => (error === failure ? 'input error' : ((error as { code?: string }).code ?? String(error))),
    );
    expect(outcome).toBe(ending === 'fails' ? 'input error' : 'not_a_workbook');
    expect(await leftovers(tempDir)).toEqual([]);
  });

  it('spools sheets that come before the shared strings, and removes them when done', async () => {
    const tempDir = await spoolDir();
    const report = await openFile(sheetsFirst, { tempDir });
    // The sheet waits compressed, as the zip has it: disk use stays below the file's own size.
    expect((await leftovers(tempDir)).some((name) => name.endsWith('.deflate'))).toBe(true);
    expect(await readRows(report)).toHaveLength(4000);
    expect(await leftovers(tempDir)).toEqual([]);
  });

  it('parses sheets straight from the zip when everything they refer to came first', async () => {
    const tempDir = await spoolDir();
    const report = await openFile(metadataFirst, { tempDir });
    expect(await leftovers(tempDir)).toEqual([]);
    expect(await readRows(report)).toHaveLength(4000);
  });

  it.each([
    {
      how: 'the reader stops early',
      done: async (report: Awaited<ReturnType<typeof openFile>>) => {
        for await (const row of report.rows) if (row.rowNumber > 10) break;
      },
    },
    { how: 'close() is called without reading', done: (report: Awaited<ReturnType<typeof openFile>>) => report.close() },
    {
      how: 'the iterator is returned before its first row',
      done: async (report: Awaited<ReturnType<typeof openFile>>) => {
        await report.rows[Symbol.asyncIterator]().return?.();
      },
    },
  ])('cleans up when $how', async ({ done }) => {
    const tempDir = await spoolDir();
    const input = createReadStream(sheetsFirst);
    const report = await openReport(input, { fileName: 'x.xlsx', contracts: ALL_CONTRACTS, tempDir });
    await done(report);
    expect(await leftovers(tempDir)).toEqual([]);
    expect(input.destroyed).toBe(true);
  });

  it('removes, at process exit, what a reader that was never closed spooled', async () => {
    const tempDir = await spoolDir();
    const report = await openFile(sheetsFirst, { tempDir });
    expect(await leftovers(tempDir)).not.toEqual([]);
    removeAbandonedSpoolDirs();
    expect(await leftovers(tempDir)).toEqual([]);
    await report.close();
  });

  it('hands out its rows once', async () => {
    const report = await openFile(metadataFirst);
    expect(await readRows(report)).toHaveLength(4000);
    expect(() => report.rows[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});
