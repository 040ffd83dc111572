import type { RunSummary } from './run-etl.js';

const num = (n: number) => n.toLocaleString('en-US');

/** The per-file table a person reads at the end of a run. */
export function formatSummary(summary: RunSummary): string {
  const header = ['file', 'domain', 'status', 'read', 'loaded', 'rejected', 'seconds'];
  const rows = summary.files.map((f) => [
    f.file,
    f.domain ?? '-',
    f.status,
    num(f.rowsRead),
    num(f.rowsLoaded),
    num(f.rowsRejected),
    f.seconds.toFixed(2),
  ]);
  const t = summary.totals;
  rows.push(['total', '', `${t.loaded} loaded, ${t.skipped} skipped, ${t.rejected} rejected, ${t.failed} failed`, num(t.rowsRead), num(t.rowsLoaded), num(t.rowsRejected), summary.seconds.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([3, 4, 5, 6]);
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const details = summary.files
    .filter((f) => f.detail && f.status !== 'skipped')
    .map((f) => `  ${f.file}: ${f.detail}`);
  return [
    `SP01 run ${summary.runId}: ${summary.source} → ${summary.warehouse}`,
    line(header),
    rule,
    ...rows.slice(0, -1).map(line),
    rule,
    line(rows[rows.length - 1] ?? []),
    ...(details.length ? ['', 'Problems:', ...details] : []),
  ].join('\n');
}
