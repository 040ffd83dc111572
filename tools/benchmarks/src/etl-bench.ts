/**
 * `nx run etl:bench`: for top-up files of each size, seconds, CPU seconds, rows/s and peak
 * RSS of
 *   (l) the read limit: inflating the sheet and scanning for `<row`, nothing parsed,
 *   (a) exceljs's streaming reader alone, (a') SP01's reader alone,
 *   (b) the whole ETL into PGlite, (c) into PostgreSQL, (d) the old pandas pipeline,
 *   (e) polars.read_excel (calamine) + write_database (ADBC), in the `bench` virtualenv.
 * Every measurement runs in a process of its own. With `--rounds N` the measurements of a
 * size are run N times, interleaved (so a burst of load on a shared machine hits them
 * alike), and the fastest round is kept. Generated files are cached under .sp01/bench.
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
const polarsScript = path.join(root, 'tools/benchmarks/python/polars_load.py');

interface Result {
  rows: number;
  seconds: number;
  cpuSeconds?: number;
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

async function measured(kind: 'exceljs' | 'reader' | 'inflate', file: string): Promise<Result> {
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
  const usage = rss ? (JSON.parse(rss[1] ?? '{}') as { maxRssKb: number; cpuSeconds: number }) : { maxRssKb: NaN, cpuSeconds: NaN };
  return { rows: summary.totals.rowsRead, seconds, ...usage };
}

async function polars(file: string, url: string): Promise<Result | string> {
  const venv = await run('bash', [path.join(root, 'tools/python/venv.sh'), 'bench']);
  if (venv.code !== 0) return `no bench virtualenv (bash tools/python/venv.sh bench): ${venv.stderr.slice(-200)}`;
  const out = await run(path.join(venv.stdout.trim(), 'bin/python'), [polarsScript, file, url, `bench_pl_${process.pid}`]);
  if (out.code !== 0) throw new Error(`polars failed: ${out.stderr.slice(-2000)}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as Result;
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

interface Measurement {
  name: string;
  run: () => Promise<Result | string>;
}

function measurements(dir: string, file: string, url: string | undefined, skip: Set<string>): Measurement[] {
  const list: Measurement[] = [];
  const add = (key: string, name: string, fn: () => Promise<Result | string>) => {
    if (!skip.has(key)) list.push({ name, run: fn });
  };
  add('inflate', '(l) inflate + scan for rows (the read limit)', () => measured('inflate', file));
  add('exceljs', '(a) exceljs streaming read', () => measured('exceljs', file));
  add('reader', "(a') SP01 reader", () => measured('reader', file));
  add('pglite', '(b) ETL → PGlite', async () => {
    // A daily run reopens its warehouse: create it first (PGlite's initdb alone takes
    // seconds and ~800 MB), then measure the load.
    const pgliteDir = await mkdtemp(path.join(tmpdir(), 'sp01-bench-pglite-'));
    const empty = await mkdtemp(path.join(tmpdir(), 'sp01-bench-empty-'));
    try {
      await etl(empty, ['--pglite-dir', pgliteDir]);
      return await etl(dir, ['--pglite-dir', pgliteDir]);
    } finally {
      await rm(empty, { recursive: true, force: true });
      await rm(pgliteDir, { recursive: true, force: true });
    }
  });
  add('postgres', '(c) ETL → PostgreSQL', async () => {
    if (!url) return 'set DATABASE_URL';
    const prefix = `bench_${process.pid}_`;
    try {
      return await etl(dir, ['--warehouse', 'postgres', '--database-url', url, '--schema-prefix', prefix]);
    } finally {
      await run('psql', [url, '-qc', `drop schema if exists "${prefix}raw" cascade`]);
    }
  });
  add('pandas', '(d) pandas read_excel + to_sql', () => (url ? pandas(file, url) : Promise.resolve('set DATABASE_URL')));
  add('polars', '(e) polars read_excel (calamine) + write_database (ADBC)', () => (url ? polars(file, url) : Promise.resolve('set DATABASE_URL')));
  return list;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,200000,1000000' },
      skip: { type: 'string', default: '' },
      rounds: { type: 'string', default: '1' },
    },
  });
  const sizes = (values.sizes ?? '').split(',').map(Number).filter((n) => n > 0);
  const skip = new Set((values.skip ?? '').split(',').filter(Boolean));
  const rounds = Math.max(1, Number(values.rounds) || 1);
  const url = process.env['DATABASE_URL'];
  process.stdout.write('| rows | measurement | seconds | CPU s | rows/s | peak RSS (MB) | vs (l) | vs (d) |\n|---:|---|---:|---:|---:|---:|---:|---:|\n');
  for (const rows of sizes) {
    const { dir, file } = await ensureFile(rows);
    const size = (await stat(file)).size;
    process.stderr.write(`${fmt(rows)} rows: ${fmt(size / 1024 / 1024, 1)} MB, ${rounds} round(s)\n`);
    const list = measurements(dir, file, url, skip);
    const best = new Map<string, Result | string>();
    for (let round = 0; round < rounds; round++) {
      for (const m of list) {
        const result = await m.run();
        const previous = best.get(m.name);
        if (previous === undefined || typeof previous === 'string' || (typeof result !== 'string' && result.seconds < previous.seconds)) best.set(m.name, result);
        process.stderr.write(`  round ${round + 1} ${m.name}: ${typeof result === 'string' ? result : `${fmt(result.seconds, 2)} s`}\n`);
      }
    }
    const limit = best.get(list.find((m) => m.name.startsWith('(l)'))?.name ?? '');
    const pandasResult = best.get(list.find((m) => m.name.startsWith('(d)'))?.name ?? '');
    for (const m of list) {
      const r = best.get(m.name)!;
      if (typeof r === 'string') {
        process.stdout.write(`| ${fmt(rows)} | ${m.name} | – | – | – | ${r} | | |\n`);
        continue;
      }
      const ratio = (base: Result | string | undefined, invert: boolean) =>
        base === undefined || typeof base === 'string' ? '' : `${fmt(invert ? base.seconds / r.seconds : r.seconds / base.seconds, 1)}×`;
      const cpu = r.cpuSeconds === undefined || Number.isNaN(r.cpuSeconds) ? '–' : fmt(r.cpuSeconds, 2);
      process.stdout.write(
        `| ${fmt(rows)} | ${m.name} | ${fmt(r.seconds, 2)} | ${cpu} | ${fmt(r.rows / r.seconds)} | ${fmt(r.maxRssKb / 1024)} | ${ratio(limit, false)} | ${ratio(pandasResult, true)} |\n`,
      );
    }
    process.stdout.write(`| ${fmt(rows)} | (m) modeling: models:dbt-build vs dbt build (dbt-core) | – | – | – | measured separately | | |\n`);
  }
}

await main();
