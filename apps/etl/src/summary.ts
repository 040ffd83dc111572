import type { RunSummary } from './run-etl.js';

const num = (n: number) => n.toLocaleString('en-US');

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

const pad = (text: string, width: number, right: boolean) => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
};

/** The per-file table a person reads at the end of a run. */
export function formatSummary(summary: RunSummary): string {
  const header = ['file', 'domain', 'status', 'read', 'loaded', 'rejected', 'seconds'];
  const t = summary.totals;
  const body = summary.files.map((f) => [f.file, f.domain ?? '-', f.status, num(f.rowsRead), num(f.rowsLoaded), num(f.rowsRejected), f.seconds.toFixed(2)]);
  const total = ['total', '', '', num(t.rowsRead), num(t.rowsLoaded), num(t.rowsRejected), summary.seconds.toFixed(2)];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  const numeric = new Set([3, 4, 5, 6]);
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0, numeric.has(i))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const problems = summary.files.filter((f) => f.detail && f.status !== 'skipped').map((f) => `  ${f.file}: ${f.detail}`);
  return [
    `SP01 run ${summary.runId}: ${summary.source} → ${summary.warehouse}`,
    line(header),
    rule,
    ...body.map(line),
    rule,
    line(total),
    `${summary.files.length} files: ${t.loaded} loaded, ${t.skipped} skipped, ${t.rejected} rejected, ${t.failed} failed`,
    ...(problems.length ? ['', 'Problems:', ...problems] : []),
  ].join('\n');
}
