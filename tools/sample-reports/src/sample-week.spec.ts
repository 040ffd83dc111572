import ExcelJS from 'exceljs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSourceFiles, type SourceFileInfo } from '@sp01/contracts';
import { DATE_STYLES, expectedRows, generateRecords, type MessTraits } from '@sp01/report-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESEND_NAME, sampleFiles, SAMPLE_DATES, writeSampleSet, type Manifest } from './sample-week.js';

const COMMITTED = join(import.meta.dirname, '..', 'sample');

async function cellsOf(path: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return {
    date1904: book.properties.date1904 === true,
    sheets: book.worksheets.map((ws) => ({
      name: ws.name,
      merges: (ws.model as { merges?: string[] }).merges ?? [],
      rows: ws.getSheetValues(),
    })),
  };
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

let regenerated: string;
beforeAll(async () => {
  regenerated = await mkdtemp(join(tmpdir(), 'sample-reports-'));
  await writeSampleSet(regenerated);
});
afterAll(async () => {
  await rm(regenerated, { recursive: true, force: true });
});

describe('the committed sample week', () => {
  it('is exactly what the generator writes today (regenerate with nx run sample-reports:generate)', async () => {
    const committedNames = (await readdir(COMMITTED)).sort();
    expect(committedNames).toEqual((await readdir(regenerated)).sort());
    expect(await readManifest(COMMITTED)).toEqual(await readManifest(regenerated));
    for (const name of committedNames.filter((n) => n.endsWith('.xlsx'))) {
      const [committed, fresh] = await Promise.all([readFile(join(COMMITTED, name)), readFile(join(regenerated, name))]);
      // Equal bytes mean equal cells; otherwise (say, another exceljs zips differently)
      // only the cell values count.
      if (committed.equals(fresh)) continue;
      expect(await cellsOf(join(COMMITTED, name)), name).toEqual(await cellsOf(join(regenerated, name)));
    }
  });

  it('stays under 1 MB', async () => {
    let total = 0;
    for (const name of await readdir(COMMITTED)) total += (await stat(join(COMMITTED, name))).size;
    expect(total).toBeLessThan(1_000_000);
  });

  it('has a file per domain per day, Chinese and English names, every trait, a handful of bad rows', async () => {
    const manifest = await readManifest(COMMITTED);
    for (const domain of ['top_up', 'pre_deduction', 'post_deduction', 'op_stats']) {
      const dates = manifest.files.filter((f) => f.domain === domain && f.revision === undefined).map((f) => f.date);
      expect(dates).toEqual([...SAMPLE_DATES]);
    }
    expect(manifest.files.some((f) => /^[\u4e00-\u9fff]/.test(f.name))).toBe(true);
    expect(manifest.files.some((f) => /^[a-z]/.test(f.name))).toBe(true);
    const on = new Set(manifest.files.flatMap((f) => Object.entries(f.traits).filter(([, v]) => v !== false).map(([k]) => k)));
    const every: (keyof MessTraits)[] = ['titleRows', 'mergedTitle', 'notesSheetFirst', 'summarySheet', 'blankRows', 'totalsRow',
      'numbersAsText', 'paddedText', 'blankDefaults', 'dateStyle', 'date1904', 'formulas', 'richText', 'hyperlinks', 'errorCells',
      'enumLabels', 'extraColumns', 'dropOptionalColumns', 'shuffleColumns'];
    expect([...on].sort()).toEqual([...every].sort());
    const styles = new Set(manifest.files.map((f) => f.traits.dateStyle ?? 'date-cell'));
    expect([...styles].sort()).toEqual([...DATE_STYLES, 'mixed'].sort());
    expect(new Set(manifest.files.map((f) => f.language))).toEqual(new Set(['zh', 'en', 'mixed']));
    const bad = manifest.files.flatMap((f) => f.badRows);
    expect(bad.length).toBeGreaterThanOrEqual(5);
    expect(bad.length).toBeLessThanOrEqual(20);
    for (const f of manifest.files) expect(f.rows).toBeLessThanOrEqual(400);
  });

  it('settlements refer to deductions of the sample, or of the days just before it', () => {
    const files = sampleFiles();
    const deductions = new Map<string, number>();
    for (const f of files.filter((f) => f.options.domain === 'pre_deduction')) {
      for (const row of expectedRows({ ...f.options, domain: 'pre_deduction' })) deductions.set(row.record.deduction_id, row.record.points);
    }
    let inWeek = 0;
    for (const f of files.filter((f) => f.options.domain === 'post_deduction')) {
      for (const post of generateRecords('post_deduction', f.options)) {
        const points = deductions.get(post.deduction_id);
        if (post.deduction_id < 'PD20250317') {
          expect(f.options.date <= '2025-03-19').toBe(true);
          continue;
        }
        expect(points, post.deduction_id).toBeDefined();
        expect(post.settled_points).toBeLessThanOrEqual(points as number);
        inWeek++;
      }
    }
    expect(inWeek).toBeGreaterThan(1000);
  });

  it('the re-send overlaps 19 March with corrections, and is the newest export by mtime and by name', () => {
    const files = sampleFiles();
    const original = files.find((f) => f.name === 'top_up_20250319.xlsx');
    const resend = files.find((f) => f.name === RESEND_NAME);
    if (!original || !resend) throw new Error('19 March top-up files missing');
    const before = new Map([...expectedRows({ ...original.options, domain: 'top_up' })].map((r) => [r.record.order_id, r]));
    const after = [...expectedRows({ ...resend.options, domain: 'top_up' })];
    expect(after.every((r) => before.has(r.record.order_id) && !r.bad)).toBe(true);
    const corrected = after.filter((r) => before.get(r.record.order_id)?.record.status !== r.record.status);
    expect(corrected.length).toBeGreaterThan(0);
    // The first export's bad row is among the re-sent ones, and good there.
    const firstBad = [...before.values()].find((r) => r.bad);
    expect(after.some((r) => r.record.order_id === firstBad?.record.order_id)).toBe(true);

    const info = (name: string, modifiedAt: Date): SourceFileInfo => ({ id: name, name, uri: `file:///${name}`, size: 1, modifiedAt, checksum: 'x' });
    const byMtime = [info(RESEND_NAME, resend.options.exportedAt), info(original.name, original.options.exportedAt)].sort(compareSourceFiles);
    const checkoutTie = new Date('2026-01-01T00:00:00Z');
    const byName = [info(RESEND_NAME, checkoutTie), info(original.name, checkoutTie)].sort(compareSourceFiles);
    expect(byMtime.map((f) => f.name)).toEqual([original.name, RESEND_NAME]);
    expect(byName.map((f) => f.name)).toEqual([original.name, RESEND_NAME]);
  });
});
