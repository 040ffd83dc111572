/**
 * One measurement in a process of its own, so peak RSS belongs to it alone. Prints a JSON
 * line: rows, seconds, peak RSS.
 *   node measure.js exceljs FILE   exceljs's streaming WorkbookReader, every row visited
 *   node measure.js reader FILE    SP01's reader (@sp01/extract-xlsx), every data row typed as cells
 *   node measure.js inflate FILE   the read limit: inflate every worksheet and count its `<row` tags
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { REPORT_CONTRACTS } from '@sp01/contracts';
import { openReport } from '@sp01/extract-xlsx';
import ExcelJS from 'exceljs';

async function exceljsRows(file: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore' });
  let rows = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      if (row.hasValues) rows += 1;
    }
  }
  return rows - 1; // the header
}

async function readerRows(file: string): Promise<number> {
  const report = await openReport(createReadStream(file), { fileName: file, contracts: Object.values(REPORT_CONTRACTS) });
  let rows = 0;
  for await (const _ of report.rows) rows += 1;
  return rows;
}

/**
 * What no reader can beat: zlib inflating the worksheets (found through the zip's central
 * directory) and one native scan for `<row` over the XML; nothing is parsed.
 */
async function inflateRows(file: string): Promise<number> {
  const handle = await open(file);
  const { size } = await handle.stat();
  const tail = Buffer.alloc(Math.min(size, 65_557));
  await handle.read(tail, 0, tail.length, size - tail.length);
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = tail.readUInt16LE(eocd + 10);
  const directory = Buffer.alloc(tail.readUInt32LE(eocd + 12));
  await handle.read(directory, 0, directory.length, tail.readUInt32LE(eocd + 16));
  let rows = 0;
  for (let at = 0, i = 0; i < count; i++) {
    const nameLength = directory.readUInt16LE(at + 28);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    const compressed = directory.readUInt32LE(at + 20);
    const local = directory.readUInt32LE(at + 42);
    at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, local);
    const start = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    await pipeline(createReadStream(file, { start, end: start + compressed - 1 }), createInflateRaw(), async (chunks: AsyncIterable<Buffer>) => {
      let carry: Buffer = Buffer.alloc(0);
      for await (const chunk of chunks) {
        // The last three bytes come along, so a `<row` split between two chunks still counts once.
        const text: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        for (let p = text.indexOf('<row'); p !== -1; p = text.indexOf('<row', p + 4)) rows++;
        carry = text.subarray(Math.max(0, text.length - 3));
      }
    });
  }
  await handle.close();
  return rows - 1; // the header
}

const [kind, file] = process.argv.slice(2);
if (!file || (kind !== 'exceljs' && kind !== 'reader' && kind !== 'inflate')) {
  console.error('usage: measure.js exceljs|reader|inflate FILE');
  process.exit(2);
}
const started = performance.now();
const rows = kind === 'exceljs' ? await exceljsRows(file) : kind === 'reader' ? await readerRows(file) : await inflateRows(file);
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
console.log(JSON.stringify({ rows, seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssKb: usage.maxRSS }));
