import { describe, expect, it } from 'vitest';
import type { RunSummary } from './run-etl.js';
import { displayWidth, formatSummary } from './summary.js';

describe('display width', () => {
  it.each([
    ['top_up.xlsx', 11],
    ['儲值紀錄.xlsx', 13],
    ['ＡＢ', 4],
  ])('%s takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('run summary', () => {
  it('prints one line per file, the totals and the problems', () => {
    const summary: RunSummary = {
      runId: '20250325T020000Z-abcdef',
      source: 'local folder /data',
      warehouse: 'pglite',
      seconds: 1.5,
      files: [
        { file: 'top_up_20250324.xlsx', domain: 'top_up', status: 'loaded', rowsRead: 1200, rowsLoaded: 1198, rowsRejected: 2, warnings: 0, detail: null, seconds: 0.7 },
        { file: 'top_up_20250323.xlsx', domain: 'top_up', status: 'skipped', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, warnings: 0, detail: 'unchanged', seconds: 0 },
        { file: 'broken.xlsx', domain: null, status: 'rejected', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, warnings: 0, detail: 'file broken.xlsx: not a workbook', seconds: 0 },
      ],
      totals: { loaded: 1, skipped: 1, rejected: 1, failed: 0, rowsRead: 1200, rowsLoaded: 1198, rowsRejected: 2, archiveFailures: 0 },
    };
    const text = formatSummary(summary);
    expect(text).toContain('SP01 run 20250325T020000Z-abcdef: local folder /data → pglite');
    expect(text).toMatch(/top_up_20250324\.xlsx\s+top_up\s+loaded\s+1,200\s+1,198\s+2\s+0\.70/);
    expect(text).toMatch(/total\s+1,200\s+1,198\s+2\s+1\.50/);
    expect(text).toContain('3 files: 1 loaded, 1 skipped, 1 rejected, 0 failed');
    expect(text).toContain('Problems:\n  broken.xlsx: file broken.xlsx: not a workbook');
    expect(text).not.toContain('unchanged');
  });

  it('aligns columns by display width, Chinese names included', () => {
    const file = (name: string) => ({ file: name, domain: 'top_up' as const, status: 'loaded' as const, rowsRead: 1, rowsLoaded: 1, rowsRejected: 0, warnings: 0, detail: null, seconds: 0.1 });
    const text = formatSummary({
      runId: 'r', source: 's', warehouse: 'pglite', seconds: 1,
      files: [file('儲值紀錄_20250318.xlsx'), file('top_up_20250319.xlsx')],
      totals: { loaded: 2, skipped: 0, rejected: 0, failed: 0, rowsRead: 2, rowsLoaded: 2, rowsRejected: 0, archiveFailures: 0 },
    });
    const rows = text.split('\n').filter((l) => l.includes('.xlsx'));
    expect(new Set(rows.map((r) => displayWidth(r.slice(0, r.indexOf('top_up ', 5)))))).toHaveProperty('size', 1);
  });
});
