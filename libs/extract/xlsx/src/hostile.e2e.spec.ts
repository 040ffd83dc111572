import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, createDeflateRaw } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOP_UP_ZH } from './__fixtures__/reports.js';

/*
 * Hostile workbooks against the built reader, each read in a child process whose peak RSS
 * (`maxRSS`) and spool-folder size are asserted: memory and disk stay bounded by the caps,
 * whatever the file claims. Files are generated here, streamed through deflate, never
 * committed. No timing is asserted.
 */

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const MB = 1024 * 1024;

type Chunks = () => Iterable<string | Buffer>;

/** Writes a zip whose entries are deflated as streams, with data descriptors (as exceljs writes). */
async function writeZip(path: string, entries: [name: string, chunks: Chunks][]): Promise<number> {
  const out = createWriteStream(path);
  let offset = 0;
  const central: Buffer[] = [];
  const write = async (buf: Buffer) => {
    offset += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  for (const [name, chunks] of entries) {
    const nameBytes = Buffer.from(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0808, 6);
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(nameBytes.length, 26);
    const start = offset;
    await write(Buffer.concat([header, nameBytes]));
    const deflate = createDeflateRaw({ level: 6 });
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const pump = (async () => {
      for await (const chunk of deflate) {
        compressed += (chunk as Buffer).length;
        await write(chunk as Buffer);
      }
    })();
    for (const piece of chunks()) {
      const buf = typeof piece === 'string' ? Buffer.from(piece) : piece;
      crc = crc32(buf, crc);
      size += buf.length;
      if (!deflate.write(buf)) await once(deflate, 'drain');
    }
    deflate.end();
    await pump;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size >>> 0, 12);
    await write(descriptor);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0808, 8);
    record.writeUInt16LE(8, 10);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(compressed, 20);
    record.writeUInt32LE(size >>> 0, 24);
    record.writeUInt16LE(nameBytes.length, 28);
    record.writeUInt32LE(start, 42);
    central.push(record, nameBytes);
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  await write(Buffer.concat([directory, end]));
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

function metadata(withSharedStrings: boolean): [string, Chunks][] {
  return [
    ['xl/workbook.xml', () => [`<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`]],
    [
      'xl/_rels/workbook.xml.rels',
      () => [
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
          (withSharedStrings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
          '</Relationships>',
      ],
    ],
  ];
}

const headerRow = `<row r="1">${TOP_UP_ZH.map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;

/** A sheet: the header, then `body` pieces, then the end tags. */
function sheet(body: () => Iterable<string | Buffer>): Chunks {
  return function* () {
    yield `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${headerRow}`;
    yield* body();
    yield '</sheetData></worksheet>';
  };
}

/** Data rows of a top-up report, in batches of 1,000. */
function* topUps(count: number): Iterable<string> {
  let batch = '';
  for (let i = 0; i < count; i++) {
    const r = i + 2;
    batch +=
      `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>T${i}</t></is></c><c r="B${r}" t="inlineStr"><is><t>U${i % 5000}</t></is></c>` +
      `<c r="C${r}"><v>${45736 + (i % 1000) / 1000}</v></c><c r="D${r}"><v>${100 + (i % 900)}</v></c><c r="E${r}" t="inlineStr"><is><t>TWD</t></is></c>` +
      `<c r="F${r}"><v>${1000 + i}</v></c><c r="G${r}" t="inlineStr"><is><t>信用卡</t></is></c><c r="H${r}" t="inlineStr"><is><t>iOS</t></is></c>` +
      `<c r="I${r}" t="inlineStr"><is><t>C${i % 300}</t></is></c><c r="J${r}" t="inlineStr"><is><t>黃金</t></is></c><c r="K${r}" t="inlineStr"><is><t>成功</t></is></c></row>`;
    if (i % 1000 === 999) {
      yield batch;
      batch = '';
    }
  }
  yield batch;
}

function* repeat(piece: string, times: number): Iterable<Buffer> {
  const block = Buffer.from(piece.repeat(Math.max(1, Math.floor(MB / piece.length))));
  const perBlock = Math.max(1, Math.floor(MB / piece.length));
  for (let done = 0; done < times; done += perBlock) yield done + perBlock <= times ? block : Buffer.from(piece.repeat(times - done));
}

interface ChildResult {
  rows?: number;
  code?: string;
  message?: string;
  maxRssKb: number;
  maxTempBytes: number;
  leftTempBytes: number;
}

async function readInChild(file: string, limits?: object): Promise<ChildResult> {
  const temp = await mkdtemp(join(dir, 'spool-'));
  const child = spawn(process.execPath, [join(import.meta.dirname, '__fixtures__/read-child.mjs'), file, temp, ...(limits ? [JSON.stringify(limits)] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  const [code] = (await once(child, 'close')) as [number];
  expect(code, stderr).toBe(0);
  await rm(temp, { recursive: true, force: true });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sp01-xlsx-e2e-'));
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('memory stays flat as files grow', () => {
  it('reads 10k and 300k rows in under 150 MB, within 40 MB of each other', async () => {
    const small = join(dir, 'small.xlsx');
    const large = join(dir, 'large.xlsx');
    await writeZip(small, [...metadata(false), ['xl/worksheets/sheet1.xml', sheet(() => topUps(10_000))]]);
    await writeZip(large, [['xl/worksheets/sheet1.xml', sheet(() => topUps(300_000))], ...metadata(false)]);
    const a = await readInChild(small);
    const b = await readInChild(large);
    expect(a).toMatchObject({ rows: 10_000 });
    expect(b).toMatchObject({ rows: 300_000, leftTempBytes: 0 });
    expect(b.maxRssKb / 1024).toBeLessThan(150);
    expect((b.maxRssKb - a.maxRssKb) / 1024).toBeLessThan(40);
  });
});

describe('hostile files are bounded', () => {
  it('a million empty rows cost neither memory nor a rejection', async () => {
    const file = join(dir, 'empty-rows.xlsx');
    await writeZip(file, [...metadata(false), ['xl/worksheets/sheet1.xml', sheet(() => repeat('<row/>', 1_000_000))]]);
    const result = await readInChild(file);
    expect(result).toMatchObject({ rows: 0 });
    expect(result.maxRssKb / 1024).toBeLessThan(150);
  });

  it('more empty rows than maxSheetRows are rejected, naming the sheet and the bound', async () => {
    const file = join(dir, 'too-many-rows.xlsx');
    await writeZip(file, [...metadata(false), ['xl/worksheets/sheet1.xml', sheet(() => repeat('<row/>', 3_000_000))]]);
    const result = await readInChild(file);
    expect(result).toMatchObject({ code: 'sheet_too_large' });
    expect(result.message).toMatch(/sheet "Data".*maxSheetRows/);
    expect(result.maxRssKb / 1024).toBeLessThan(150);
  });

  it('a shared-string table over its cap is refused while it is read, in bounded memory', async () => {
    const file = join(dir, 'strings.xlsx');
    await writeZip(file, [
      ...metadata(true),
      ['xl/sharedStrings.xml', function* () {
        yield `<sst xmlns="${NS}">`;
        yield* repeat('<si><t>abcdefgh</t></si>', 6_000_000);
        yield '</sst>';
      }],
      ['xl/worksheets/sheet1.xml', sheet(() => [])],
    ]);
    const result = await readInChild(file, { maxSharedStringsBytes: 32 * MB });
    expect(result).toMatchObject({ code: 'shared_strings_too_large' });
    expect(result.message).toMatch(/maxSharedStringsBytes/);
    expect(result.maxRssKb / 1024).toBeLessThan(150);
  });

  it('a sheet stored before workbook.xml waits compressed: temp space stays under the file size', async () => {
    const file = join(dir, 'sheet-first-bomb.xlsx');
    const size = await writeZip(file, [
      ['xl/worksheets/sheet1.xml', sheet(() => [...topUps(100), ...repeat(' ', 600 * MB)])],
      ...metadata(false),
    ]);
    const result = await readInChild(file);
    expect(result).toMatchObject({ rows: 100, leftTempBytes: 0 });
    expect(result.maxTempBytes).toBeLessThanOrEqual(size);
    expect(result.maxRssKb / 1024).toBeLessThan(150);
  });

  it('a 600 MB text node is a cell too long, refused at maxCellBytes', async () => {
    const file = join(dir, 'long-cell.xlsx');
    await writeZip(file, [...metadata(false), ['xl/worksheets/sheet1.xml', sheet(() => ['<row r="2"><c t="inlineStr"><is><t>', ...repeat(' ', 600 * MB), '</t></is></c></row>'])]]);
    const result = await readInChild(file);
    expect(result).toMatchObject({ code: 'cell_too_large' });
    expect(result.message).toMatch(/sheet "Data", row 2: .*column A.*maxCellBytes/);
    expect(result.maxRssKb / 1024).toBeLessThan(150);
  });

  it('a sheet cut mid-data inside a well-formed zip is rejected, not half-loaded', async () => {
    const file = join(dir, 'cut.xlsx');
    await writeZip(file, [...metadata(false), ['xl/worksheets/sheet1.xml', function* () {
      yield `<worksheet xmlns="${NS}"><sheetData>${headerRow}`;
      yield* topUps(5000);
    }]]);
    const result = await readInChild(file);
    expect(result).toMatchObject({ code: 'not_a_workbook' });
    expect(result.message).toMatch(/truncated/);
  });
});
