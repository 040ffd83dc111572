import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { DOMAINS, isDomain } from '@sp01/contracts';
import { CLEAN_TRAITS, MESSY_TRAITS, writeReport, type Language } from '@sp01/report-fixtures';
import { writeSampleSet } from './sample-week.js';

const USAGE = `Usage:
  node tools/sample-reports/dist/main.js [--out <dir>]
      Writes the sample week (2025-03-17..23, four domains, manifest.json) into <dir>
      (default tools/sample-reports/sample).
  node tools/sample-reports/dist/main.js report --domain <${DOMAINS.join('|')}> --rows <n> --out <file.xlsx>
      [--date 2025-03-17] [--seed 1] [--language zh|en|mixed] [--messy] [--bad <n>] [--streaming]
      Writes one report, e.g. a million-row top-up file for a benchmark.`;

async function sample(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string', default: 'tools/sample-reports/sample' } } });
  const started = performance.now();
  const manifest = await writeSampleSet(resolve(values.out));
  const rows = manifest.files.reduce((sum, f) => sum + f.rows, 0);
  const bad = manifest.files.reduce((sum, f) => sum + f.badRows.length, 0);
  console.log(
    `wrote ${manifest.files.length} workbooks (${rows} data rows, ${bad} bad) and manifest.json to ${values.out} ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function report(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      domain: { type: 'string' },
      rows: { type: 'string' },
      out: { type: 'string' },
      date: { type: 'string', default: '2025-03-17' },
      seed: { type: 'string', default: '1' },
      language: { type: 'string', default: 'zh' },
      messy: { type: 'boolean', default: false },
      bad: { type: 'string', default: '0' },
      streaming: { type: 'boolean', default: false },
    },
  });
  const { domain, out, language } = values;
  if (!domain || !isDomain(domain) || !values.rows || !out || !['zh', 'en', 'mixed'].includes(language)) {
    throw new Error(`report needs --domain, --rows and --out\n${USAGE}`);
  }
  const started = performance.now();
  const result = await writeReport(resolve(out), {
    domain,
    seed: Number(values.seed),
    date: values.date,
    rows: Number(values.rows),
    language: language as Language,
    traits: values.messy ? MESSY_TRAITS : CLEAN_TRAITS,
    badRows: Number(values.bad),
    streaming: values.streaming,
    collectKeys: false,
  });
  console.log(`wrote ${result.rows} ${domain} rows to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const [command, ...rest] = process.argv.slice(2);
const run = command === 'report' ? report(rest) : command === 'help' || command === '--help' ? Promise.resolve(console.log(USAGE)) : sample(process.argv.slice(2));
run.catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
