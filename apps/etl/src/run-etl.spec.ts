import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMAINS, type Domain } from '@sp01/contracts';
import { createRunContext, silentLogger } from '@sp01/core';
import { createLocalSource } from '@sp01/extract-local';
import { createPgliteWarehouse, createPostgresWarehouse, type SqlWarehouse } from '@sp01/load-postgres';
import { MESSY_TRAITS } from '@sp01/report-fixtures';
import { describePostgres, freshSchemaPrefix } from '@sp01/vitest-preset/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpTable, expectedTable, writeBrokenFiles, writeReports, type ReportFolder } from './__fixtures__/report-folder.js';
import { runEtl, runSucceeded, type RunSummary } from './run-etl.js';
import { DOMAIN_TRANSFORMS } from './transforms.js';

const noProgress = { update: () => undefined, clear: () => undefined };

let dir: string;
let folder: ReportFolder;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sp01-etl-'));
  const reports = await writeReports(dir, [
    // Every trait at once, in Chinese, with bad rows.
    { file: '儲值紀錄_20250317.xlsx', options: { domain: 'top_up', seed: 1, date: '2025-03-17', rows: 240, badRows: 4, traits: MESSY_TRAITS } },
    // A re-sent, corrected export of part of the same day: newest export wins.
    {
      file: 'top_up_20250317_resend.xlsx',
      options: { domain: 'top_up', seed: 1, date: '2025-03-17', rows: 240, subset: { from: 0, to: 60 }, revision: 1, exportedAt: new Date('2025-03-18T06:00:00Z'), language: 'en' },
    },
    {
      file: 'pre_deduction_20250317.xlsx',
      options: {
        domain: 'pre_deduction', seed: 2, date: '2025-03-17', rows: 300, badRows: 3, language: 'en',
        traits: { titleRows: true, blankRows: true, numbersAsText: true, dateStyle: 'text-iso-t', enumLabels: 'en', extraColumns: true, totalsRow: 'en', blankDefaults: true },
      },
    },
    {
      file: '點數實扣_20250318.xlsx',
      options: {
        domain: 'post_deduction', seed: 3, date: '2025-03-18', rows: 120, badRows: 2,
        traits: { date1904: true, dateStyle: 'serial', formulas: true, hyperlinks: true, richText: true, notesSheetFirst: true, enumLabels: 'zh' },
      },
    },
    {
      file: 'op_stats_20250317.xlsx',
      options: { domain: 'op_stats', seed: 4, date: '2025-03-17', rows: 30, badRows: 2, language: 'mixed', traits: { ...MESSY_TRAITS, date1904: false, dateStyle: 'text-compact' } },
    },
  ]);
  folder = { dir, reports, broken: await writeBrokenFiles(dir) };
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(warehouse: SqlWarehouse, options: { force?: boolean; domains?: Domain[] } = {}): Promise<RunSummary> {
  return runEtl({
    source: createLocalSource({ dir }),
    warehouse,
    transforms: DOMAIN_TRANSFORMS,
    domains: options.domains ?? [...DOMAINS],
    force: options.force ?? false,
    context: createRunContext(),
    logger: silentLogger,
    progress: noProgress,
  });
}

async function snapshot(warehouse: SqlWarehouse) {
  const tables = Object.fromEntries(await Promise.all(DOMAINS.map(async (d) => [d, await dumpTable(warehouse, d, { lineage: true })] as const)));
  const rejects = await warehouse.query(
    `select domain, source_file, sheet, row_number, column_name, raw_value, reason from "${warehouse.schema}".rejected_rows order by source_file, row_number, column_name`,
  );
  const ledger = await warehouse.query(
    `select source_file, domain, checksum, status, rows_read, rows_loaded, rows_rejected, error from "${warehouse.schema}".file_ledger order by source_file`,
  );
  return { tables, rejects, ledger };
}

function warehouseSuite(open: () => Promise<SqlWarehouse>) {
  let warehouse: SqlWarehouse;
  let first: RunSummary;

  beforeAll(async () => {
    warehouse = await open();
    first = await run(warehouse);
  }, 120_000);

  afterAll(async () => {
    await warehouse?.close();
  });

  it('loads every report, rejects the files that are not reports, and says so', () => {
    const byFile = Object.fromEntries(first.files.map((f) => [f.file, f]));
    for (const { file, report } of folder.reports) {
      expect(byFile[file], file).toMatchObject({ status: 'loaded', domain: report.domain, rowsRead: report.rows, rowsRejected: report.badRows.length });
      expect(byFile[file]?.rowsLoaded).toBe(report.rows - report.badRows.length);
    }
    for (const { file, message } of folder.broken) {
      expect(byFile[file], file).toMatchObject({ status: 'rejected', domain: null });
      expect(byFile[file]?.detail).toMatch(message);
    }
    expect(first.totals).toMatchObject({ loaded: folder.reports.length, rejected: folder.broken.length, failed: 0, skipped: 0 });
    expect(runSucceeded(first)).toBe(false);
  });

  it.each(DOMAINS)('holds exactly the truth of %s, the newest export winning', async (domain) => {
    expect(await dumpTable(warehouse, domain)).toEqual(expectedTable(domain, folder.reports));
  });

  it('records every bad row with file, sheet, row, column, raw value and reason', async () => {
    const rejects = await warehouse.query<{ source_file: string; sheet: string; row_number: number; column_name: string; raw_value: string | null; reason: string; domain: string }>(
      `select domain, source_file, sheet, row_number, column_name, raw_value, reason from "${warehouse.schema}".rejected_rows`,
    );
    const expected = folder.reports.flatMap(({ file, report }) =>
      report.badRows.map((bad) => ({
        domain: report.domain,
        source_file: file,
        sheet: report.sheet,
        row_number: bad.rowNumber,
        column_name: bad.column,
        reason: bad.reason,
      })),
    );
    const key = (r: { source_file: string; row_number: number; column_name: string }) => `${r.source_file}|${r.row_number}|${r.column_name}`;
    expect(rejects.map(({ raw_value: _raw, ...r }) => r).sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(expected.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
    for (const { file, report } of folder.reports) {
      for (const bad of report.badRows) {
        const found = rejects.find((r) => r.source_file === file && r.row_number === bad.rowNumber);
        if (bad.value !== null && typeof bad.value === 'string') expect(found?.raw_value?.trim()).toBe(bad.value.trim());
      }
    }
  });

  it('keeps a ledger that agrees with the summary', async () => {
    const ledger = await warehouse.query<{ source_file: string; status: string; rows_read: number; rows_loaded: number; rows_rejected: number; error: string | null }>(
      `select source_file, status, rows_read, rows_loaded, rows_rejected, error from "${warehouse.schema}".file_ledger`,
    );
    expect(ledger).toHaveLength(first.files.length);
    for (const f of first.files) {
      const row = ledger.find((l) => l.source_file === f.file);
      expect(row, f.file).toMatchObject({ status: f.status, rows_read: f.rowsRead, rows_loaded: f.rowsLoaded, rows_rejected: f.rowsRejected });
      if (f.status === 'rejected') expect(row?.error).toBe(f.detail);
    }
  });

  it('changes nothing when run again: every file is skipped', async () => {
    const before = await snapshot(warehouse);
    const again = await run(warehouse);
    expect(again.totals).toMatchObject({ skipped: first.files.length, loaded: 0, rejected: 0 });
    expect(await snapshot(warehouse)).toEqual(before);
  });

  it('reloads with --force to the same tables, rejects replaced rather than duplicated', async () => {
    const before = await snapshot(warehouse);
    const forced = await run(warehouse, { force: true });
    expect(forced.totals).toMatchObject({ loaded: folder.reports.length, rejected: folder.broken.length });
    expect(await snapshot(warehouse)).toEqual(before);
  });
}

describe('ETL on PGlite', () => {
  warehouseSuite(async () => createPgliteWarehouse());
});

describePostgres('ETL on PostgreSQL', (url) => {
  const schemaPrefix = freshSchemaPrefix();
  warehouseSuite(async () => createPostgresWarehouse({ url, schemaPrefix }));
  afterAll(async () => {
    const cleanup = createPostgresWarehouse({ url, schemaPrefix });
    await cleanup.query(`drop schema if exists "${cleanup.schema}" cascade`);
    await cleanup.close();
  });
});

describe('load order', () => {
  it('gives the same tables when files come one run at a time, newest first', async () => {
    const warehouse = createPgliteWarehouse();
    try {
      const all = await createLocalSource({ dir }).list();
      const newestFirst = [...all].sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || (a.name < b.name ? 1 : -1));
      for (const file of newestFirst) {
        await runEtl({
          source: { description: `only ${file.id}`, list: async () => [file] },
          warehouse,
          transforms: DOMAIN_TRANSFORMS,
          domains: [...DOMAINS],
          force: false,
          context: createRunContext(),
          logger: silentLogger,
          progress: noProgress,
        });
      }
      for (const domain of DOMAINS) expect(await dumpTable(warehouse, domain), domain).toEqual(expectedTable(domain, folder.reports));
    } finally {
      await warehouse.close();
    }
  });
});

describe('domain selection', () => {
  it('skips files of domains not selected, and records them as skipped', async () => {
    const warehouse = createPgliteWarehouse();
    try {
      const summary = await run(warehouse, { domains: ['op_stats'] });
      const skipped = summary.files.filter((f) => f.status === 'skipped');
      expect(skipped.map((f) => f.domain).sort()).toEqual(['post_deduction', 'pre_deduction', 'top_up', 'top_up']);
      expect(skipped.every((f) => /not selected/.test(f.detail ?? ''))).toBe(true);
      expect(await dumpTable(warehouse, 'top_up')).toEqual([]);
      // Selecting them later loads them: a skipped file is not "seen".
      const later = await run(warehouse);
      expect(later.files.filter((f) => f.domain === 'top_up').every((f) => f.status === 'loaded')).toBe(true);
    } finally {
      await warehouse.close();
    }
  });
});
