/**
 * One measurement in a process of its own, so peak RSS belongs to it alone. Prints a JSON
 * line: rows, seconds, peak RSS.
 *   node measure.js exceljs FILE   exceljs's streaming WorkbookReader, every row visited
 *   node measure.js reader FILE    SP01's reader (@sp01/extract-xlsx), every data row typed as cells
 */
import { createReadStream } from 'node:fs';
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

const [kind, file] = process.argv.slice(2);
if (!file || (kind !== 'exceljs' && kind !== 'reader')) {
  console.error('usage: measure.js exceljs|reader FILE');
  process.exit(2);
}
const started = performance.now();
const rows = kind === 'exceljs' ? await exceljsRows(file) : await readerRows(file);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, seconds, maxRssKb: process.resourceUsage().maxRSS }));
