import { describe, expect, it } from 'vitest';
import type { RunSummary } from './run-etl.js';
import { formatSummary } from './summary.js';

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
      totals: { loaded: 1, skipped: 1, rejected: 1, failed: 0, rowsRead: 1200, rowsLoaded: 1198, rowsRejected: 2 },
    };
    const text = formatSummary(summary);
    expect(text).toContain('SP01 run 20250325T020000Z-abcdef: local folder /data → pglite');
    expect(text).toMatch(/top_up_20250324\.xlsx\s+top_up\s+loaded\s+1,200\s+1,198\s+2\s+0\.70/);
    expect(text).toMatch(/total\s+1 loaded, 1 skipped, 1 rejected, 0 failed\s+1,200\s+1,198\s+2/);
    expect(text).toContain('Problems:\n  broken.xlsx: file broken.xlsx: not a workbook');
    expect(text).not.toContain('unchanged');
  });
});
