/**
 * `nx run etl:bench`: for top-up files of each size, rows/s and peak RSS of
 *   (a) exceljs's streaming reader alone, (a') SP01's reader alone,
 *   (b) the whole ETL into PGlite, (c) into PostgreSQL, (d) the old pandas pipeline.
 * Generated files are cached under .sp01/bench (same seed, same bytes).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeReport } from '@sp01/report-fixtures';

const here = import.meta.dirname;
const root = path.resolve(here, '../../..');
const etlCli = path.join(root, 'apps/etl/dist/main.js');
const rssReport = path.join(here, 'rss-report.js');
const measure = path.join(here, 'measure.js');
const pandasScript = path.join(root, 'tools/benchmarks/python/pandas_load.py');

interface Result {
  rows: number;
  seconds: number;
  maxRssKb: number;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function measured(kind: 'exceljs' | 'reader', file: string): Promise<Result> {
  const out = await run(process.execPath, [measure, kind, file]);
  if (out.code !== 0) throw new Error(`${kind} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as Result;
}

async function etl(dir: string, args: string[]): Promise<Result> {
  const started = performance.now();
  const out = await run(process.execPath, ['--import', rssReport, etlCli, '--source-dir', dir, '--json', '--force', ...args], { SP01_LOG_LEVEL: 'warn' });
  const seconds = (performance.now() - started) / 1000;
  if (out.code !== 0) throw new Error(`etl failed (${out.code}): ${out.stderr.slice(-2000)}`);
  const summary = JSON.parse(out.stdout) as { totals: { rowsRead: number } };
  const rss = /SP01_BENCH_RSS (\{.*\})/.exec(out.stderr);
  return { rows: summary.totals.rowsRead, seconds, maxRssKb: rss ? (JSON.parse(rss[1] ?? '{}') as { maxRssKb: number }).maxRssKb : NaN };
}

async function pandas(file: string, url: string): Promise<Result | string> {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  const check = await run('/usr/bin/python3', ['-c', 'import pandas, openpyxl, sqlalchemy, psycopg2']);
  if (check.code !== 0) return 'needs apt-get install python3-pandas python3-openpyxl python3-sqlalchemy python3-psycopg2';
  const out = await run('/usr/bin/python3', [pandasScript, file, url, `bench_py_${process.pid}`]);
  if (out.code !== 0) throw new Error(`pandas failed: ${out.stderr.slice(-2000)}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as Result;
}

async function ensureFile(rows: number): Promise<{ dir: string; file: string }> {
  const dir = path.join(root, '.sp01/bench', `top_up_${rows}`);
  const file = path.join(dir, `top_up_${rows}.xlsx`);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} top-up rows…\n`);
    await writeReport(file, { domain: 'top_up', seed: 2025, date: '2025-03-17', rows, streaming: true, collectKeys: false, language: 'en' });
  }
  return { dir, file };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000,1000000' }, skip: { type: 'string', default: '' } } });
  const sizes = (values.sizes ?? '').split(',').map(Number).filter((n) => n > 0);
  const skip = new Set((values.skip ?? '').split(',').filter(Boolean));
  const url = process.env['DATABASE_URL'];
  const lines: string[] = [
    '| rows | measurement | seconds | rows/s | peak RSS (MB) |',
    '|---:|---|---:|---:|---:|',
  ];
  const print = (rows: number, name: string, r: Result | string) => {
    const line =
      typeof r === 'string'
        ? `| ${fmt(rows)} | ${name} | – | – | ${r} |`
        : `| ${fmt(rows)} | ${name} | ${fmt(r.seconds, 2)} | ${fmt(r.rows / r.seconds)} | ${fmt(r.maxRssKb / 1024)} |`;
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const rows of sizes) {
    const { dir, file } = await ensureFile(rows);
    const size = (await stat(file)).size;
    process.stderr.write(`${fmt(rows)} rows: ${fmt(size / 1024 / 1024, 1)} MB\n`);
    if (!skip.has('exceljs')) print(rows, '(a) exceljs streaming read', await measured('exceljs', file));
    if (!skip.has('reader')) print(rows, "(a') SP01 reader", await measured('reader', file));
    if (!skip.has('pglite')) {
      // A daily run reopens its warehouse: create it first (PGlite's initdb alone takes
      // seconds and ~800 MB), then measure the load.
      const pgliteDir = await mkdtemp(path.join(tmpdir(), 'sp01-bench-pglite-'));
      const empty = await mkdtemp(path.join(tmpdir(), 'sp01-bench-empty-'));
      await etl(empty, ['--pglite-dir', pgliteDir]);
      await rm(empty, { recursive: true, force: true });
      print(rows, '(b) ETL → PGlite', await etl(dir, ['--pglite-dir', pgliteDir]));
      await rm(pgliteDir, { recursive: true, force: true });
    }
    if (!url) {
      print(rows, '(c) ETL → PostgreSQL', 'set DATABASE_URL');
      print(rows, '(d) pandas read_excel + to_sql', 'set DATABASE_URL');
      continue;
    }
    if (!skip.has('postgres')) {
      const prefix = `bench_${process.pid}_`;
      print(rows, '(c) ETL → PostgreSQL', await etl(dir, ['--warehouse', 'postgres', '--database-url', url, '--schema-prefix', prefix]));
      await run('psql', [url, '-qc', `drop schema if exists "${prefix}raw" cascade`]);
    }
    if (!skip.has('pandas')) print(rows, '(d) pandas read_excel + to_sql', await pandas(file, url));
  }
}

await main();
