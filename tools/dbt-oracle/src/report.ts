import type { OracleReport } from './oracle.js';

const VERDICT: Record<string, string> = {
  equal: 'same',
  'equal-but-snapshot-times': 'same (snapshot run times aside)',
  different: 'DIFFERENT',
  'only-dbt': 'MISSING in SP01',
  'only-sp01': 'EXTRA in SP01',
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const n = (value: number | null) => (value === null ? '—' : String(value));

/** The comparison as a person reads it: one line per relation, then every difference. */
export function formatReport(report: OracleReport): string {
  const out: string[] = [];
  out.push(`dbt-core vs SP01 on ${report.project}`);
  out.push(
    `  dbt-core: exit ${report.dbt.exitCode} in ${report.dbt.seconds.toFixed(1)} s   SP01: exit ${report.sp01.exitCode} in ${report.sp01.seconds.toFixed(1)} s` +
      `   (SP01 ${(report.dbt.seconds / Math.max(report.sp01.seconds, 0.001)).toFixed(1)}× dbt-core's speed)`,
  );
  out.push('');
  out.push(
    table(
      ['relation', 'kind', 'rows dbt-core', 'rows SP01', 'only dbt-core', 'only SP01', 'verdict'],
      report.relations.map((r) => [r.relation, r.kind, n(r.dbtRows), n(r.sp01Rows), n(r.onlyDbt), n(r.onlySp01), VERDICT[r.verdict] ?? r.verdict]),
    ),
  );
  for (const r of report.relations) for (const d of r.columnDifferences) out.push(`  column ${r.relation}.${d}`);
  const { results } = report;
  const tests = results.statuses.filter((s) => s.uniqueId.startsWith('test.') || s.uniqueId.startsWith('unit_test.'));
  out.push('');
  out.push(
    `nodes: ${results.statuses.length} ran; tests ${tests.length} (dbt-core: ${tests.filter((t) => t.dbt === 'pass').length} pass, ` +
      `SP01: ${tests.filter((t) => t.sp01 === 'pass').length} pass); ${results.statusDifferences.length} status differences`,
  );
  for (const id of results.nodesOnlyDbt) out.push(`  node only in dbt-core's manifest: ${id}`);
  for (const id of results.nodesOnlySp01) out.push(`  node only in SP01's manifest: ${id}`);
  for (const s of results.statusDifferences) out.push(`  status ${s.uniqueId}: dbt-core ${s.dbt ?? 'did not run'}, SP01 ${s.sp01 ?? 'did not run'}`);
  if (report.dbt.exitCodes.join() !== report.sp01.exitCodes.join()) {
    out.push(`  exit codes differ: dbt-core ${report.dbt.exitCodes.join(', ')}, SP01 ${report.sp01.exitCodes.join(', ')}`);
  }
  out.push('');
  out.push(report.same ? 'SAME: SP01 built what dbt-core built.' : `DIFFERENT — logs: ${report.dbt.log}, ${report.sp01.log}`);
  return out.join('\n');
}
