import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Domain } from '@sp01/contracts';
import { CLEAN_TRAITS, DATE_STYLES, MESSY_TRAITS, writeReport, type MessTraits } from '@sp01/report-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkbookArchive as ReferenceArchive } from './__fixtures__/reference/workbook-archive.js';
import { TOP_UP_ZH, topUpCells } from './__fixtures__/reports.js';
import { fixtureDir, METADATA_FIRST, moveZipPartsFirst, writeLargeWorkbook, writeRawWorkbook, writeWorkbook } from './__fixtures__/workbooks.js';
import { DEFAULT_READER_LIMITS } from './limits.js';
import type { SheetRow } from './sheet-rows.js';
import { WorkbookArchive } from './workbook-archive.js';

/*
 * The differential test: SP01's byte-level reader against the reference, the reader it
 * replaced (exceljs's unzipper, SAX parser and part parsers, tested for years on real
 * exports), on every fixture we have: the messy-export corpus of @sp01/report-fixtures
 * (each domain, clean, messy and every trait on its own), the sample week that ships in
 * tools/sample-reports, and hand-written workbooks for what no writer produces. Every
 * sheet's rows must come out identical: numbers, typed cells, dates, errors.
 */

interface SheetDump {
  name: string;
  rows: SheetRow[];
}

/** Rows with cells; the reference also emits the empty `<row/>`s that the new reader only counts. */
async function dump(archive: { worksheets(): AsyncGenerator<{ name: string; rows: AsyncGenerator<SheetRow, void, undefined> }>; close(): Promise<void> }): Promise<SheetDump[]> {
  const sheets: SheetDump[] = [];
  try {
    for await (const sheet of archive.worksheets()) {
      const rows: SheetRow[] = [];
      for await (const row of sheet.rows) if (row.values.length > 0 || row.errors !== undefined) rows.push(row);
      sheets.push({ name: sheet.name, rows });
    }
  } finally {
    await archive.close();
  }
  return sheets;
}

async function compare(path: string): Promise<number> {
  const options = { fileName: basename(path), limits: DEFAULT_READER_LIMITS };
  const expected = await dump(new ReferenceArchive(createReadStream(path), options));
  const actual = await dump(new WorkbookArchive(createReadStream(path), options));
  expect(actual.map((s) => s.name)).toEqual(expected.map((s) => s.name));
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i]!.rows.length, `rows of sheet ${expected[i]!.name}`).toBe(expected[i]!.rows.length);
    expect(actual[i]!.rows).toEqual(expected[i]!.rows);
  }
  return expected.reduce((n, s) => n + s.rows.length, 0);
}

let dir: Awaited<ReturnType<typeof fixtureDir>>;
beforeAll(async () => {
  dir = await fixtureDir();
});
afterAll(async () => {
  await dir.remove();
});

const DOMAINS: Domain[] = ['top_up', 'pre_deduction', 'post_deduction', 'op_stats'];

/** Clean, messy, and each trait on its own on a clean file (so one trait's rows cannot hide another's). */
function traitSets(): { label: string; traits: MessTraits }[] {
  const sets = [
    { label: 'clean', traits: { ...CLEAN_TRAITS } },
    { label: 'messy', traits: { ...MESSY_TRAITS } },
  ];
  for (const key of Object.keys(MESSY_TRAITS) as (keyof MessTraits)[]) {
    if (key === 'dateStyle') continue;
    sets.push({ label: key, traits: { ...CLEAN_TRAITS, [key]: MESSY_TRAITS[key] } as MessTraits });
  }
  for (const style of DATE_STYLES) sets.push({ label: `dateStyle ${style}`, traits: { ...CLEAN_TRAITS, dateStyle: style } });
  return sets;
}

describe('the messy-export corpus', () => {
  const cases = DOMAINS.flatMap((domain, d) => traitSets().map(({ label, traits }, t) => ({ domain, label, traits, seed: 100 * d + t })));
  it.each(cases)('$domain, $label: identical rows', async ({ domain, traits, seed }) => {
    const path = dir.file(`${domain}-${seed}.xlsx`);
    await writeReport(path, { domain, seed, date: '2025-03-18', rows: 60, badRows: 3, language: seed % 3 === 0 ? 'mixed' : 'zh', traits });
    expect(await compare(path)).toBeGreaterThan(0);
  });
});

describe('the sample week', () => {
  const sample = join(import.meta.dirname, '../../../../tools/sample-reports/sample');
  it('reads every file of tools/sample-reports/sample identically', async () => {
    const files = (await readdir(sample)).filter((f) => f.endsWith('.xlsx'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(await compare(join(sample, file)), file).toBeGreaterThan(0);
  });
});

describe('generated workbooks', () => {
  it('a large streamed workbook, shared strings and inline strings', async () => {
    for (const useSharedStrings of [true, false]) {
      const path = dir.file(`large-${useSharedStrings}.xlsx`);
      await writeLargeWorkbook(path, { name: 'Data', header: TOP_UP_ZH, rowCount: 3000, row: topUpCells, useSharedStrings });
      expect(await compare(path)).toBe(3001);
    }
  });

  it('metadata first in the zip (sheets parsed straight from the zip)', async () => {
    const path = await writeWorkbook(dir.file('plain.xlsx'), [{ name: '儲值', rows: [TOP_UP_ZH, ...Array.from({ length: 50 }, (_, i) => topUpCells(i))] }]);
    expect(await compare(await moveZipPartsFirst(path, dir.file('first.xlsx'), METADATA_FIRST))).toBe(51);
  });

  it('hand-written XML: inline rich text, phonetic guides, errors, escapes, entities, missing references', async () => {
    const path = await writeRawWorkbook(dir.file('raw.xlsx'), {
      sharedStrings: [
        '<t>plain</t>',
        '<r><rPr><b/></rPr><t>rich </t></r><r><t xml:space="preserve">text </t></r><rPh sb="0" eb="1"><t>ルビ</t></rPh>',
        '<t>line_x000D_break &amp; &lt;tag&gt; &#x4E2D;&#25991;</t>',
        '',
        '<t>after the empty one</t>',
      ],
      numFmts: { 164: 'yyyy/mm/dd hh:mm' },
      cellStyles: [0, 164, 14, 0],
      sheets: [
        {
          name: 'Mixed & "odd"',
          sheetData:
            '<row r="1" spans="1:9"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>' +
            '<row r="3"><c r="A3" s="1"><v>45736.5</v></c><c s="2"><v>45736</v></c><c><v>-12.5</v></c><c><v>1E-3</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="str"><f>A1</f><v>formula &amp; text</v></c><c t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c><c t="d"><v>2025-03-18T10:11:12</v></c></row>' +
            '<row><c r="A4"><v>12345678901234567890</v></c><c r="C4" t="s"><v>99</v></c><c r="D4"><v> 42 </v></c><c r="E4"><v>0x1A</v></c><c r="F4"><v>.5</v></c><c r="G4"><v>abc</v></c><c r="H4"/><c r="I4"><v/></c></row>' +
            '<row r="5"/><row r="6"><c r="B6" t="inlineStr"><is><t>  </t></is></c></row>',
        },
      ],
    });
    expect(await compare(path)).toBe(4);
  });
});
