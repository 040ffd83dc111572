import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBrokenFiles, writeReports } from './__fixtures__/report-folder.js';
import { main } from './cli.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, env, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

let dir: string;
let good: string;
let bad: string;

async function mkdirp(p: string): Promise<string> {
  await mkdir(p, { recursive: true });
  return p;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sp01-cli-'));
  good = path.join(dir, 'good');
  bad = path.join(dir, 'bad');
  await writeReports(await mkdirp(good), [{ file: 'top_up_20250317.xlsx', options: { domain: 'top_up', seed: 9, date: '2025-03-17', rows: 50, badRows: 1 } }]);
  await writeBrokenFiles(await mkdirp(bad));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});


describe('etl command line', () => {
  it('prints every setting with --help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--source-dir / SP01_SOURCE_DIR');
    expect(stdout).toContain('--database-url / DATABASE_URL');
  });

  it('exits 2 on bad configuration, naming the flag and variable, never the secret', async () => {
    const { code, stderr } = await cli(['--warehouse', 'postgres'], { DATABASE_URL: 'mysql://sp01:hunter2@db/x' });
    expect(code).toBe(2);
    expect(stderr).toContain('--source-dir / SP01_SOURCE_DIR: is required when the source is local');
    expect(stderr).toContain('--database-url / DATABASE_URL: must be a postgres:// URL');
    expect(stderr).not.toContain('hunter2');
  });

  it('exits 2 on an unknown flag', async () => {
    const { code, stderr } = await cli(['--source-folder', 'x']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--source-folder'/);
  });

  it('loads a folder, prints the JSON summary and writes JSON logs when not on a terminal', async () => {
    const warehouse = path.join(dir, 'wh-good');
    const { code, stdout, stderr } = await cli(['--source-dir', good, '--pglite-dir', warehouse, '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.totals).toMatchObject({ loaded: 1, rowsRead: 50, rowsLoaded: 49, rowsRejected: 1 });
    const logs = stderr.trim().split('\n').map((line) => JSON.parse(line));
    expect(logs.map((l) => l.msg)).toContain('run started');
    expect(logs.find((l) => l.msg === 'file loaded')).toMatchObject({ level: 'info', file: 'top_up_20250317.xlsx', rowsLoaded: 49 });
    const again = await cli(['--source-dir', good, '--pglite-dir', warehouse]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/top_up_20250317\.xlsx\s+top_up\s+skipped/);
  }, 60_000);

  it('exits 1 when a file is rejected, after loading the others', async () => {
    const { code, stdout } = await cli(['--source-dir', bad, '--pglite-dir', path.join(dir, 'wh-bad')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/broken\.xlsx\s+-\s+rejected/);
    expect(stdout).toContain('Problems:');
  }, 60_000);
});
