import { opStatsContract } from '@sp01/contracts';
import { describe, expect, it } from 'vitest';
import { opStatsTransform } from './op-stats-transform.js';

const transform = opStatsTransform.forFile({ date1904: false });

describe('op_stats transform', () => {
  it('rejects a row whose required cells are blank, naming each required column', () => {
    const required = opStatsContract.columns.filter((c) => c.headerRequired && !c.nullable).map((c) => c.name);
    const result = transform({ sheet: 'Sheet1', rowNumber: 2, cells: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejects.map((r) => r.column)).toEqual(required);
    expect(result.rejects.every((r) => /required/.test(r.reason))).toBe(true);
  });
});

const valid = {
  stat_date: '2025/03/25',
  channel_id: 'CH0007',
  channel_name: '阿明的歌唱頻道',
  category: 'Music',
  live_hours: '3.5',
  unique_viewers: '1,234',
  new_viewers: '４５６',
  peak_concurrent: 321,
  new_followers: '-12',
  comments: '9,876',
};

describe('op stats records', () => {
  it('types the row, keeping negative net followers', () => {
    const result = transform({ sheet: '營運數據', rowNumber: 3, cells: valid });
    expect(result).toMatchObject({
      ok: true,
      record: { stat_date: '2025-03-25', channel_id: 'CH0007', category: 'music', live_hours: 3.5, unique_viewers: 1234, new_viewers: 456, peak_concurrent: 321, new_followers: -12, comments: 9876 },
    });
  });

  it.each([
    [{ stat_date: 45741 }, { stat_date: '2025-03-25' }],
    [{ stat_date: '20250325' }, { stat_date: '2025-03-25' }],
    [{ stat_date: new Date(Date.UTC(2025, 2, 25)) }, { stat_date: '2025-03-25' }],
    [{ live_hours: 24 }, { live_hours: 24 }],
    [{ live_hours: null, unique_viewers: null, new_viewers: null }, { channel_id: 'CH0007' }],
  ])('accepts %j', (override, expected) => {
    const result = transform({ sheet: 's', rowNumber: 2, cells: { ...valid, ...override } });
    expect(result.ok && result.record).toMatchObject(expected);
  });

  it.each([
    [{ live_hours: '24.5' }, 'live_hours', /must be <= 24/],
    [{ live_hours: -1 }, 'live_hours', /must be >= 0/],
    [{ new_viewers: 2000 }, 'new_viewers', /must be <= unique_viewers \(1234\)/],
    [{ comments: -1 }, 'comments', /must be >= 0/],
    [{ stat_date: '2025/02/29' }, 'stat_date', /valid date/],
  ])('rejects %j in column %s', (override, column, reason) => {
    const result = transform({ sheet: 's', rowNumber: 9, cells: { ...valid, ...override } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejects.map((r) => r.column)).toEqual([column]);
    expect(result.rejects[0]?.reason).toMatch(reason);
  });
});
