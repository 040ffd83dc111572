import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { BigQuery } from '@google-cloud/bigquery';
import { startFakeBigQuery, startFakeDrive, startFakeStorage } from '@sp01/google-fakes';
import { auth as googleAuth } from 'googleapis/build/src/apis/drive/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from './__fixtures__/report-folder.js';
import { main } from './cli.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';

let dir: string;
let files: { name: string; bytes: Buffer; rows: number; domain: string }[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sp01-cloud-'));
  const reports = await writeReports(dir, [
    { file: 'top_up_20250317.xlsx', options: { domain: 'top_up', seed: 5, date: '2025-03-17', rows: 40, badRows: 1 } },
    { file: '營運數據_20250317.xlsx', options: { domain: 'op_stats', seed: 6, date: '2025-03-17', rows: 12 } },
  ]);
  files = await Promise.all(reports.map(async (r) => ({ name: r.file, bytes: await readFile(path.join(dir, r.file)), rows: r.report.rows, domain: r.report.domain })));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string>, clients: Parameters<typeof main>[3] = {}) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (c, _e, done) => (append(String(c)), done()) });
  const code = await main(argv, env, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) }, clients);
  return { code, summary: stdout.startsWith('{') ? JSON.parse(stdout) : undefined, stdout, stderr };
}

describe('ETL from Google Drive', () => {
  it('lists the folder, exports native Sheets as xlsx and loads everything', async () => {
    const drive = await startFakeDrive({ accessToken: 'token-1' });
    try {
      const folder = drive.addFolder({ name: 'exports' });
      const [topUp, opStats] = files;
      if (!topUp || !opStats) throw new Error('fixtures missing');
      drive.addFile({ name: topUp.name, parentId: folder.id, content: topUp.bytes, modifiedTime: '2025-03-18T01:00:00Z' });
      drive.addSheet({ name: '營運數據 2025-03-17', parentId: folder.id, xlsx: opStats.bytes, modifiedTime: '2025-03-18T01:05:00Z' });
      const auth = new googleAuth.OAuth2();
      auth.setCredentials({ access_token: 'token-1', expiry_date: Date.now() + 3_600_000 });
      const { code, summary, stderr } = await cli(
        ['--source', 'gdrive', '--gdrive-folder', folder.id, '--pglite-dir', path.join(dir, 'wh-drive'), '--json'],
        { SP01_DRIVE_ROOT_URL: drive.rootUrl },
        { driveAuth: auth },
      );
      expect(code, stderr).toBe(0);
      expect(summary.source).toContain(folder.id);
      expect(summary.files, JSON.stringify(summary.files)).toHaveLength(2);
      expect(summary.totals).toMatchObject({ loaded: 2, rowsRead: 52, rowsRejected: 1 });
      expect(drive.requestsTo('files.export')).toHaveLength(1);
    } finally {
      await drive.close();
    }
  }, 60_000);

  it('names the folder when Drive says it does not exist', async () => {
    const drive = await startFakeDrive();
    try {
      const { code, stderr } = await cli(['--source', 'gdrive', '--gdrive-folder', '1MissingFolderId0', '--pglite-dir', path.join(dir, 'wh-missing')], { SP01_DRIVE_ROOT_URL: drive.rootUrl }, { driveAuth: new googleAuth.OAuth2() });
      expect(code).toBe(1);
      expect(stderr).toContain('1MissingFolderId0');
    } finally {
      await drive.close();
    }
  }, 60_000);
});

describe('ETL from Cloud Storage with the archive', () => {
  it('loads the objects under the prefix and archives each loaded file by domain and date', async () => {
    const gcs = await startFakeStorage();
    try {
      gcs.createBucket('sp01-exports');
      gcs.createBucket('sp01-archive');
      for (const f of files) gcs.putObject('sp01-exports', `daily/${f.name}`, f.bytes);
      gcs.putObject('sp01-exports', 'other/ignored.xlsx', files[0]?.bytes ?? '');
      const { code, summary, stderr } = await cli(
        ['--source', 'gcs', '--gcs-bucket', 'sp01-exports', '--gcs-prefix', 'daily', '--archive-bucket', 'sp01-archive', '--pglite-dir', path.join(dir, 'wh-gcs'), '--json'],
        { SP01_GCS_API_ENDPOINT: gcs.apiEndpoint },
      );
      expect(code, stderr).toBe(0);
      expect(summary.totals).toMatchObject({ loaded: 2, archiveFailures: 0 });
      const archived = gcs.listObjects('sp01-archive').map((o) => o.name).sort();
      expect(archived).toHaveLength(2);
      expect(archived.every((name) => /^raw\/(top_up|op_stats)\/\d{4}-\d{2}-\d{2}\/.+\.xlsx$/.test(name))).toBe(true);
      expect(summary.files.map((f: { archivedTo: string }) => f.archivedTo).sort()).toEqual(archived.map((n) => `gs://sp01-archive/${n}`));
    } finally {
      await gcs.close();
    }
  }, 60_000);
});

describe('ETL into BigQuery', () => {
  it('creates the raw dataset and loads each file with a load job and one script', async () => {
    const bq = await startFakeBigQuery();
    try {
      const localDir = await mkdtemp(path.join(tmpdir(), 'sp01-bq-'));
      await writeReports(localDir, [{ file: 'top_up_20250317.xlsx', options: { domain: 'top_up', seed: 5, date: '2025-03-17', rows: 40, badRows: 1 } }]);
      const { code, summary, stderr } = await cli(
        ['--source-dir', localDir, '--warehouse', 'bigquery', '--bigquery-project', 'sp01-test', '--bigquery-dataset-prefix', 'ci_', '--max-bytes-billed', '1000000000', '--json'],
        {},
        { bigquery: new BigQuery(bq.clientOptions('sp01-test') as ConstructorParameters<typeof BigQuery>[0]) },
      );
      await rm(localDir, { recursive: true, force: true });
      expect(code, stderr).toBe(0);
      expect(summary.warehouse).toBe('bigquery');
      expect(summary.totals).toMatchObject({ loaded: 1, rowsLoaded: 39, rowsRejected: 1 });
      expect([...bq.datasets.keys()].some((k) => k.endsWith('ci_raw'))).toBe(true);
      const loads = bq.jobs.filter((j) => j.kind === 'load');
      expect(loads.length).toBeGreaterThanOrEqual(1);
      expect(loads[0]?.configuration.load).toMatchObject({ sourceFormat: 'NEWLINE_DELIMITED_JSON' });
      const scripts = bq.jobs.filter((j) => j.kind === 'query' && j.query?.includes('MERGE'));
      expect(scripts.length).toBeGreaterThanOrEqual(1);
      expect(scripts.every((j) => j.configuration.query?.['maximumBytesBilled'] === '1000000000')).toBe(true);
      expect(scripts.every((j) => j.configuration.labels?.['app'] === 'sp01')).toBe(true);
    } finally {
      await bq.close();
    }
  }, 60_000);

  it('names the missing project setting', async () => {
    const { code, stderr } = await cli(['--source-dir', dir, '--warehouse', 'bigquery'], {});
    expect(code).toBe(2);
    expect(stderr).toContain('--bigquery-project / BIGQUERY_PROJECT: is required when the warehouse is bigquery');
  });
});
