import { Readable } from 'node:stream';
import { SourceFileError } from '@sp01/core';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_CONTRACTS, TOP_UP_ZH, topUpCells } from './__fixtures__/reports.js';
import { openReport, type ReaderLimits } from './index.js';

/*
 * Fuzzing the reader with malformed zips and XML: truncated files, flipped bytes, bad
 * CRCs, deep nesting, huge cells, bad UTF-8, DOCTYPEs, zip bombs. Every outcome must be a
 * clean `SourceFileError` (or, for a flip that hits nothing the reader reads, the rows),
 * never another exception, a crash or a hang. Seeds are fixed, iterations bounded.
 */

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function sheetXml(rows: number, extra = ''): string {
  const cells = (r: number, values: (string | number)[]) =>
    `<row r="${r}">${values.map((v) => (typeof v === 'number' ? `<c><v>${v}</v></c>` : `<c t="inlineStr"><is><t>${escape(v)}</t></is></c>`)).join('')}</row>`;
  let body = cells(1, TOP_UP_ZH);
  for (let i = 0; i < rows; i++) {
    body += cells(
      i + 2,
      topUpCells(i).map((v) => (v instanceof Date ? 45736 + i / 1000 : v === null ? '' : (v as string | number))),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${body}${extra}</sheetData></worksheet>`;
}

/** A workbook's parts, the sheet last or first; bytes or strings. */
function parts(sheet: string | Buffer): Record<string, string | Buffer> {
  return {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': sheet,
  };
}

async function zip(files: Record<string, string | Buffer>, compression: 'DEFLATE' | 'STORE' = 'DEFLATE'): Promise<Buffer> {
  const archive = new JSZip();
  for (const [name, data] of Object.entries(files)) archive.file(name, data);
  return archive.generateAsync({ type: 'nodebuffer', compression });
}

type Outcome = { rows: number } | { code: string };

const SMALL: Partial<ReaderLimits> = { maxSheetBytes: 8 * 1024 * 1024, maxCellBytes: 64 * 1024 };

/** Reads a whole file from bytes; a SourceFileError is an outcome, anything else fails the test. */
async function read(bytes: Buffer, limits: Partial<ReaderLimits> = SMALL, chunk = 4096): Promise<Outcome> {
  const input = Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
    })(),
    { objectMode: false },
  );
  try {
    const report = await openReport(input, { fileName: 'fuzz.xlsx', contracts: ALL_CONTRACTS, limits });
    let rows = 0;
    for await (const _ of report.rows) rows++;
    return { rows };
  } catch (error) {
    if (!(error instanceof SourceFileError)) throw error;
    expect(error.message).toMatch(/^file fuzz\.xlsx/);
    return { code: error.code };
  }
}

let base: Buffer;
beforeAll(async () => {
  base = await zip(parts(sheetXml(200)));
});

describe('the fuzz corpus', () => {
  it('reads the unharmed base file', async () => {
    expect(await read(base)).toEqual({ rows: 200 });
  });

  it('rejects every truncation cleanly (200 cut points)', async () => {
    const random = prng(1);
    // The central directory is never read: a cut inside it leaves every entry whole.
    const centralDirectory = base.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    for (let i = 0; i < 200; i++) {
      const cut = Math.floor(random() * (base.length - 1));
      const outcome = await read(base.subarray(0, cut));
      if (cut < centralDirectory) expect(outcome).toEqual({ code: 'not_a_workbook' });
      else if ('code' in outcome) expect(outcome.code).toBe('not_a_workbook');
    }
  });

  it('never loads altered data: 300 random byte flips in the entries are rejected or read unharmed', async () => {
    const random = prng(2);
    const entriesEnd = base.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const clean = await read(base);
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(base);
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(random() * entriesEnd);
        bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
      }
      const outcome = await read(bytes);
      if ('rows' in outcome) expect(outcome).toEqual(clean);
    }
  });

  it('rejects an entry whose CRC-32 does not match, stored or deflated', async () => {
    for (const compression of ['STORE', 'DEFLATE'] as const) {
      const bytes = await zip(parts(sheetXml(20)), compression);
      const at = bytes.indexOf('xl/worksheets/sheet1.xml') - 30;
      expect(bytes.readUInt32LE(at)).toBe(0x04034b50);
      bytes.writeUInt32LE(bytes.readUInt32LE(at + 14) ^ 0x1, at + 14);
      expect(await read(bytes)).toEqual({ code: 'not_a_workbook' });
    }
  });

  it('rejects an altered value even when the deflate stream still inflates', async () => {
    const xml = sheetXml(20);
    const good = await zip(parts(xml), 'STORE');
    const at = good.indexOf('T000007');
    good[at + 6] = 0x38; // T000008: the same length, a different value
    await expect(read(good)).resolves.toEqual({ code: 'not_a_workbook' });
  });
});

describe('hostile XML', () => {
  const cases: { name: string; sheet: () => string | Buffer; code: string }[] = [
    { name: 'a sheet cut mid-data', sheet: () => sheetXml(50).slice(0, 4000), code: 'not_a_workbook' },
    { name: 'a sheet missing its last end tag', sheet: () => sheetXml(50).replace('</worksheet>', ''), code: 'not_a_workbook' },
    { name: 'deep nesting (200,000 levels, closed)', sheet: () => sheetXml(5, '<x>'.repeat(200_000) + '</x>'.repeat(200_000)), code: 'rows' },
    { name: 'deep nesting left open', sheet: () => sheetXml(5, '<x>'.repeat(200_000)), code: 'not_a_workbook' },
    { name: 'a 1 MB cell', sheet: () => sheetXml(5, `<row r="9"><c t="inlineStr"><is><t>${'x'.repeat(1024 * 1024)}</t></is></c></row>`), code: 'cell_too_large' },
    { name: 'a 1 MB number', sheet: () => sheetXml(5, `<row r="9"><c><v>${'9'.repeat(1024 * 1024)}</v></c></row>`), code: 'cell_too_large' },
    { name: 'a 6 MB whitespace text node', sheet: () => sheetXml(5, ' '.repeat(6 * 1024 * 1024)), code: 'rows' },
    { name: 'a DOCTYPE with entity expansion', sheet: () => `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]>${sheetXml(5).replace(/^<\?xml[^>]*>/, '')}`, code: 'not_a_workbook' },
    { name: 'an undefined entity', sheet: () => sheetXml(5, '<row r="9"><c t="inlineStr"><is><t>&xxe;</t></is></c></row>'), code: 'not_a_workbook' },
    {
      name: 'bad UTF-8 in a string',
      sheet: () => Buffer.concat([Buffer.from(sheetXml(5).replace('</sheetData>', '<row r="9"><c t="inlineStr"><is><t>')), Buffer.from([0xe5, 0xff, 0x41]), Buffer.from('</t></is></c></row></sheetData></worksheet>')]),
      code: 'not_a_workbook',
    },
    { name: 'a cell reference past column XFD', sheet: () => sheetXml(5, '<row r="9"><c r="ZZZZZZZZ9"><v>1</v></c></row>'), code: 'not_a_workbook' },
    { name: 'an unclosed attribute', sheet: () => sheetXml(5, '<row r="9><c><v>1</v></c></row>'), code: 'not_a_workbook' },
    { name: 'an end tag too many', sheet: () => sheetXml(5).replace('</worksheet>', '</worksheet></worksheet>'), code: 'not_a_workbook' },
    { name: 'a huge tag', sheet: () => sheetXml(5, `<row r="9" ${'a="b" '.repeat(400_000)}/>`), code: 'not_a_workbook' },
  ];
  it.each(cases)('$name', async ({ sheet, code }) => {
    const outcome = await read(await zip(parts(sheet())));
    if (code === 'rows') expect(outcome).toEqual({ rows: 5 });
    else expect(outcome).toEqual({ code });
  });

  it('random garbage spliced into the XML (100 seeds) is rejected or read, never a crash', async () => {
    const random = prng(3);
    const xml = sheetXml(30);
    const alphabet = '<>/="\'&;!?[]-x \n\u00e4\u4e2d';
    for (let i = 0; i < 100; i++) {
      const at = Math.floor(random() * xml.length);
      let junk = '';
      for (let j = 0, n = 1 + Math.floor(random() * 12); j < n; j++) junk += alphabet[Math.floor(random() * alphabet.length)];
      await read(await zip(parts(xml.slice(0, at) + junk + xml.slice(at))));
    }
  });
});

describe('bombs and bounds', () => {
  it('stops a zip bomb at maxSheetBytes while it inflates', async () => {
    const bomb = Buffer.alloc(64 * 1024 * 1024, 0x20);
    const bytes = await zip(parts(Buffer.concat([Buffer.from(sheetXml(2).replace('</worksheet>', '')), bomb, Buffer.from('</worksheet>')])));
    expect(bytes.length).toBeLessThan(1024 * 1024);
    expect(await read(bytes)).toEqual({ code: 'sheet_too_large' });
  });

  it('stops a bomb in the shared strings, a table over maxSharedStringsBytes, and too many rows or cells', async () => {
    const many = `<sst xmlns="${NS}">${'<si><t>ab</t></si>'.repeat(300_000)}</sst>`;
    // Before the sheet: a table after the data sheet is never needed, so never read.
    const withStrings = { 'xl/sharedStrings.xml': many, ...parts(sheetXml(2)) };
    expect(await read(await zip(withStrings), { maxSharedStringsBytes: 1024 * 1024 })).toEqual({ code: 'shared_strings_too_large' });
    expect(await read(await zip(withStrings), { maxSheetBytes: 1024 * 1024 })).toEqual({ code: 'sheet_too_large' });
    expect(await read(await zip(parts(sheetXml(2, '<row/>'.repeat(2000)))), { maxSheetRows: 1000 })).toEqual({ code: 'sheet_too_large' });
    expect(await read(await zip(parts(sheetXml(200))), { maxSheetCells: 1000 })).toEqual({ code: 'sheet_too_large' });
  });

  it('a deflate stream zeroed from its middle on', async () => {
    const good = await zip(parts(sheetXml(20)));
    const at = good.indexOf('xl/worksheets/sheet1.xml') - 30;
    const size = good.readUInt32LE(at + 18);
    const dataAt = at + 30 + good.readUInt16LE(at + 26) + good.readUInt16LE(at + 28);
    const cut = Buffer.from(good);
    cut.fill(0, dataAt + Math.floor(size / 2), dataAt + size);
    expect(await read(cut)).toEqual({ code: 'not_a_workbook' });
  });
});
