import { writeFile, utimes, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Domain } from '@sp01/contracts';
import { MESSY_TRAITS, writeReport, type BadRow, type Language, type MessTraits, type ReportOptions } from '@sp01/report-fixtures';

export const SAMPLE_SEED = 20250317;
export const SAMPLE_DATES = ['2025-03-17', '2025-03-18', '2025-03-19', '2025-03-20', '2025-03-21', '2025-03-22', '2025-03-23'] as const;

/** Rows per file: a few hundred orders and deductions, one row per channel (two channels join on Thursday). */
const ROWS: Record<Domain, (dayIndex: number) => number> = {
  top_up: () => 250,
  pre_deduction: () => 300,
  post_deduction: () => 300,
  op_stats: (dayIndex) => (dayIndex < 3 ? 30 : 32),
};

/** Export times: the morning after, one domain after another; minutes after 09:00. */
const EXPORT_MINUTE: Record<Domain, number> = { top_up: 0, pre_deduction: 5, post_deduction: 10, op_stats: 15 };

const FILE_PREFIX: Record<Domain, { en: string; zh: string }> = {
  top_up: { en: 'top_up', zh: '儲值紀錄' },
  pre_deduction: { en: 'pre_deduction', zh: '點數預扣' },
  post_deduction: { en: 'post_deduction', zh: '點數實扣' },
  op_stats: { en: 'op_stats', zh: '營運數據' },
};

interface DayFile {
  language: Language;
  traits?: Partial<MessTraits>;
  badRows?: number;
}

/**
 * Which habits each day's export has, per domain. Every trait appears somewhere in the
 * week; file names follow the header language (Chinese name for a Chinese export), except
 * that the 19 March top-up file keeps an English name so its re-send sorts after it.
 */
const WEEK: Record<Domain, readonly DayFile[]> = {
  top_up: [
    { language: 'en', traits: { enumLabels: 'en' } },
    {
      language: 'zh',
      traits: { titleRows: true, mergedTitle: true, totalsRow: 'zh', numbersAsText: true, dateStyle: 'text-slash', enumLabels: 'zh' },
      badRows: 2,
    },
    {
      language: 'en',
      traits: { notesSheetFirst: true, summarySheet: true, blankRows: true, formulas: true, hyperlinks: true, dateStyle: 'serial', enumLabels: 'mixed' },
      badRows: 1,
    },
    {
      language: 'zh',
      traits: { date1904: true, dateStyle: 'date-cell', extraColumns: true, shuffleColumns: true, errorCells: true, enumLabels: 'zh' },
    },
    {
      language: 'en',
      traits: { dateStyle: 'mixed', paddedText: true, blankDefaults: true, richText: true, totalsRow: 'en', enumLabels: 'en' },
      badRows: 1,
    },
    { language: 'mixed', traits: MESSY_TRAITS, badRows: 1 },
    { language: 'en', traits: { dropOptionalColumns: true, dateStyle: 'text-iso-t', enumLabels: 'code' } },
  ],
  pre_deduction: [
    { language: 'zh', traits: { enumLabels: 'zh' } },
    { language: 'en', traits: { dateStyle: 'text-minutes', numbersAsText: true, blankDefaults: true, enumLabels: 'en' }, badRows: 1 },
    { language: 'zh', traits: { titleRows: true, extraColumns: true, richText: true, dateStyle: 'text-compact', enumLabels: 'zh' } },
    {
      language: 'mixed',
      traits: { shuffleColumns: true, hyperlinks: true, blankRows: true, totalsRow: 'en', dateStyle: 'serial', enumLabels: 'mixed' },
      badRows: 1,
    },
    { language: 'zh', traits: { notesSheetFirst: true, formulas: true, errorCells: true, enumLabels: 'zh' } },
    { language: 'en', traits: { dropOptionalColumns: true, paddedText: true, dateStyle: 'mixed', enumLabels: 'en' }, badRows: 1 },
    { language: 'zh', traits: { titleRows: true, mergedTitle: true, totalsRow: 'zh', summarySheet: true, enumLabels: 'zh' } },
  ],
  post_deduction: [
    { language: 'en', traits: { enumLabels: 'en' } },
    { language: 'zh', traits: { titleRows: true, mergedTitle: true, dateStyle: 'text-slash', enumLabels: 'zh' } },
    { language: 'en', traits: { numbersAsText: true, formulas: true, totalsRow: 'en', dateStyle: 'serial', enumLabels: 'en' }, badRows: 1 },
    { language: 'zh', traits: { notesSheetFirst: true, richText: true, errorCells: true, enumLabels: 'mixed' } },
    { language: 'mixed', traits: { extraColumns: true, shuffleColumns: true, blankRows: true, dateStyle: 'mixed', enumLabels: 'mixed' }, badRows: 1 },
    { language: 'zh', traits: { hyperlinks: true, paddedText: true, dateStyle: 'text-iso-t', enumLabels: 'zh' } },
    { language: 'en', traits: { dropOptionalColumns: true, dateStyle: 'text-compact', enumLabels: 'code' } },
  ],
  op_stats: [
    { language: 'zh' },
    { language: 'en', traits: { titleRows: true, totalsRow: 'en', numbersAsText: true, enumLabels: 'en' } },
    { language: 'zh', traits: { dateStyle: 'text-slash', extraColumns: true, richText: true, blankRows: true }, badRows: 1 },
    { language: 'mixed', traits: { shuffleColumns: true, hyperlinks: true, errorCells: true, dateStyle: 'serial', enumLabels: 'en' } },
    {
      language: 'zh',
      traits: { notesSheetFirst: true, summarySheet: true, formulas: true, totalsRow: 'zh', dateStyle: 'text-compact' },
      badRows: 1,
    },
    { language: 'en', traits: { dropOptionalColumns: true, paddedText: true, date1904: true, dateStyle: 'date-cell', enumLabels: 'en' } },
    { language: 'zh', traits: { titleRows: true, mergedTitle: true, dateStyle: 'mixed', enumLabels: 'mixed' }, badRows: 1 },
  ],
};

/** Asia/Taipei wall clock to the instant (UTC+8, no daylight saving). */
function taipei(date: string, time: string): Date {
  return new Date(`${date}T${time}+08:00`);
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export interface SampleFile {
  name: string;
  options: ReportOptions & { exportedAt: Date };
  note?: string;
}

/** The re-sent 19 March top-up export: orders 100-249 again, some refunded or confirmed since. */
export const RESEND_NAME = 'top_up_20250319_resend.xlsx';
const RESEND_FROM = 100;

/** Every file of the sample week, in a stable order. */
export function sampleFiles(): SampleFile[] {
  const files: SampleFile[] = [];
  SAMPLE_DATES.forEach((date, dayIndex) => {
    for (const domain of ['top_up', 'pre_deduction', 'post_deduction', 'op_stats'] as const) {
      const day = WEEK[domain][dayIndex] as DayFile;
      const prefix = FILE_PREFIX[domain][day.language === 'zh' ? 'zh' : 'en'];
      const exportedAt = taipei(nextDay(date), `09:${String(EXPORT_MINUTE[domain]).padStart(2, '0')}:00`);
      const options: SampleFile['options'] = {
        domain,
        seed: SAMPLE_SEED,
        date,
        rows: ROWS[domain](dayIndex),
        language: day.language,
        ...(day.traits ? { traits: day.traits } : {}),
        ...(day.badRows ? { badRows: day.badRows } : {}),
        exportedAt,
      };
      files.push({ name: `${prefix}_${date.replaceAll('-', '')}.xlsx`, options });
      if (domain === 'top_up' && date === '2025-03-19') {
        files.push({
          name: RESEND_NAME,
          options: {
            ...options,
            language: 'en',
            traits: { enumLabels: 'en' },
            badRows: 0,
            subset: { from: RESEND_FROM },
            revision: 1,
            exportedAt: taipei('2025-03-20', '15:30:00'),
          },
          note:
            'Re-sent export of 19 March orders 100-249 with values corrected since the first export (refunds processed, ' +
            'late-confirmed payments) and its bad row fixed. Newer by mtime and later by name than top_up_20250319.xlsx.',
        });
      }
    }
  });
  return files;
}

export interface ManifestEntry {
  name: string;
  domain: Domain;
  date: string;
  language: Language;
  traits: Partial<MessTraits>;
  rows: number;
  keys: number;
  sheet: string;
  sheets: string[];
  headerRow: number;
  columns: string[];
  badRows: BadRow[];
  exportedAt: string;
  subset?: { from: number; to?: number };
  revision?: number;
  note?: string;
}

export interface Manifest {
  seed: number;
  dates: readonly string[];
  files: ManifestEntry[];
}

/** Writes the sample week into a folder: every workbook (mtime = its export time) and manifest.json. */
export async function writeSampleSet(outDir: string): Promise<Manifest> {
  await mkdir(outDir, { recursive: true });
  const entries: ManifestEntry[] = [];
  for (const file of sampleFiles()) {
    const report = await writeReport(join(outDir, file.name), file.options);
    entries.push({
      name: file.name,
      domain: report.domain,
      date: file.options.date,
      language: file.options.language ?? 'zh',
      traits: file.options.traits ?? {},
      rows: report.rows,
      keys: report.keys.length,
      sheet: report.sheet,
      sheets: report.sheets,
      headerRow: report.headerRow,
      columns: report.columns,
      badRows: report.badRows,
      exportedAt: report.exportedAt.toISOString(),
      ...(file.options.subset ? { subset: file.options.subset } : {}),
      ...(file.options.revision ? { revision: file.options.revision } : {}),
      ...(file.note ? { note: file.note } : {}),
    });
  }
  const manifest: Manifest = { seed: SAMPLE_SEED, dates: SAMPLE_DATES, files: entries };
  const path = join(outDir, 'manifest.json');
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
  const latest = new Date(Math.max(...entries.map((e) => Date.parse(e.exportedAt))));
  await utimes(path, latest, latest);
  return manifest;
}
