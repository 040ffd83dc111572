import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { REPORT_CONTRACTS, topUpContract, type ReportContract, type SourceRow } from '@sp01/contracts';
import type ExcelJS from 'exceljs';
import { openReport, type OpenedReport, type ReaderLimits } from '../index.js';

/** Every report the platform exports, as the ETL offers them to the reader. */
export const ALL_CONTRACTS: readonly ReportContract<object>[] = Object.values(REPORT_CONTRACTS);

export const TOP_UP_ZH = topUpContract.columns.map((c) => c.zh);
export const TOP_UP_EN = topUpContract.columns.map((c) => c.en);
export const TOP_UP_NAMES = topUpContract.columns.map((c) => c.name);

/** A top-up as the back office writes it, in TOP_UP_ZH column order. */
export function topUpCells(i: number): ExcelJS.CellValue[] {
  return [
    `T${String(i).padStart(6, '0')}`,
    `U${i}`,
    new Date(Date.UTC(2025, 2, 25, 14, 3, i % 60)),
    100 + i,
    'TWD',
    1000 + i,
    '信用卡',
    'iOS',
    `C${i}`,
    '黃金',
    '成功',
    i % 2 === 0 ? 'SPRING' : null,
  ];
}

export interface ReadOptions {
  contracts?: readonly ReportContract<object>[];
  limits?: Partial<ReaderLimits>;
  sizeBytes?: number;
  tempDir?: string;
}

export function openFile(path: string, options: ReadOptions = {}): Promise<OpenedReport> {
  return openReport(createReadStream(path), {
    fileName: basename(path),
    contracts: options.contracts ?? ALL_CONTRACTS,
    limits: options.limits,
    sizeBytes: options.sizeBytes,
    tempDir: options.tempDir,
  });
}

export async function readRows(report: OpenedReport): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of report.rows) rows.push(row);
  return rows;
}

/** Opens and reads a whole file. */
export async function readFile(path: string, options: ReadOptions = {}): Promise<{ report: OpenedReport; rows: SourceRow[] }> {
  const report = await openFile(path, options);
  return { report, rows: await readRows(report) };
}

/** What is left in a reader's temp folder (spooled sheets must be gone once a file is done). */
export async function leftovers(tempDir: string): Promise<string[]> {
  const names = await readdir(tempDir, { recursive: true });
  return names.map(String);
}
