import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { REPORT_CONTRACTS, warehouseColumns, type Domain } from '@sp01/contracts';
import type { SqlWarehouse } from '@sp01/load-postgres';
import { expectedRows, writeReport, type GeneratedReport, type ReportOptions } from '@sp01/report-fixtures';

/** The files of a folder as a test writes them, with the generator's truth for each. */
export interface ReportFolder {
  dir: string;
  reports: { file: string; options: ReportOptions; report: GeneratedReport }[];
  /** Files that are not reports at all; each must be rejected whole. */
  broken: { file: string; message: RegExp }[];
}

export async function writeReports(dir: string, specs: { file: string; options: ReportOptions }[]): Promise<ReportFolder['reports']> {
  const out: ReportFolder['reports'] = [];
  for (const spec of specs) out.push({ ...spec, report: await writeReport(path.join(dir, spec.file), spec.options) });
  return out;
}

/** A not-a-workbook, an empty file and a workbook without any report's headers. */
export async function writeBrokenFiles(dir: string): Promise<ReportFolder['broken']> {
  await writeFile(path.join(dir, 'broken.xlsx'), 'this is a CSV,not a workbook\n1,2\n');
  await writeFile(path.join(dir, 'empty.xlsx'), '');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('排班表');
  sheet.addRow(['主播', '日期', '時段']);
  sheet.addRow(['阿明', '2025/03/17', '晚上']);
  await workbook.xlsx.writeFile(path.join(dir, 'roster.xlsx'));
  return [
    { file: 'broken.xlsx', message: /broken\.xlsx/ },
    { file: 'empty.xlsx', message: /empty\.xlsx/ },
    { file: 'roster.xlsx', message: /roster\.xlsx[\s\S]*(missing|required)[\s\S]*主播/ },
  ];
}

/** One table's rows as comparable text: timestamps as epoch milliseconds, numerics normalised. */
export async function dumpTable(warehouse: SqlWarehouse, domain: Domain, options: { lineage?: boolean } = {}): Promise<Record<string, string | null>[]> {
  const contract = REPORT_CONTRACTS[domain];
  const columns = warehouseColumns(contract).filter((c) =>
    options.lineage ? !['_run_id', '_loaded_at'].includes(c.name) : !c.name.startsWith('_'),
  );
  const select = columns
    .map((c) => {
      const q = `"${c.name}"`;
      if (c.type === 'timestamp') return `(extract(epoch from ${q}) * 1000)::bigint::text as ${q}`;
      if (c.type.startsWith('numeric')) return `(${q})::float8::text as ${q}`;
      return `${q}::text as ${q}`;
    })
    .join(', ');
  const rows = await warehouse.query<Record<string, string | null>>(`select ${select} from "${warehouse.schema}"."${domain}"`);
  // Sorted here, not in SQL: the server's collation must not decide the comparison.
  return sortByKey(rows, (row) => contract.naturalKey.map((k) => row[k]).join('|'));
}

/** What the table must hold: the generator's truth, later exports replacing earlier ones by key. */
export function expectedTable(domain: Domain, reports: ReportFolder['reports']): Record<string, string | null>[] {
  const contract = REPORT_CONTRACTS[domain];
  const columns = warehouseColumns(contract).filter((c) => !c.name.startsWith('_'));
  const byKey = new Map<string, Record<string, string | null>>();
  const sorted = reports
    .filter((r) => r.options.domain === domain)
    .sort((a, b) => a.report.exportedAt.getTime() - b.report.exportedAt.getTime() || (a.file < b.file ? -1 : 1));
  for (const { options } of sorted) {
    for (const row of expectedRows({ ...options, domain })) {
      if (row.bad) continue;
      const record = row.record as Record<string, unknown>;
      const text: Record<string, string | null> = {};
      for (const c of columns) text[c.name] = comparable(record[c.name]);
      byKey.set(contract.naturalKey.map((k) => text[k]).join('|'), text);
    }
  }
  return sortByKey([...byKey.values()], (row) => contract.naturalKey.map((k) => row[k]).join('|'));
}

function sortByKey<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.map((row) => [key(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

function comparable(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return String(value.getTime());
  return String(value);
}
