import { describe, expect, it } from 'vitest';
import { opStatsContract } from './op-stats.js';
import { REPORT_CONTRACTS } from './registry.js';
import { issuesToRejects } from './transform.js';

const ctx = { date1904: false };

describe('row schemas of the other three reports', () => {
  it('reads a pre-deduction with Chinese labels and a blank quantity', () => {
    const parsed = REPORT_CONTRACTS.pre_deduction.rowSchema(ctx).parse({
      deduction_id: 'D1', user_id: 'U1', channel_id: 'CH1', deducted_at: '2025/03/25 10:00:00',
      item_type: '禮物', item_name: '火箭', quantity: null, points: '1,000',
    });
    expect(parsed).toMatchObject({ item_type: 'gift', quantity: 1, points: 1000 });
  });

  it('rejects a zero quantity', () => {
    const parsed = REPORT_CONTRACTS.pre_deduction.rowSchema(ctx).safeParse({
      deduction_id: 'D1', user_id: 'U1', channel_id: 'CH1', deducted_at: '2025/03/25 10:00:00', quantity: 0, points: 5,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error && issuesToRejects(parsed.error.issues, { quantity: 0 })).toEqual([
      { column: 'quantity', value: '0', reason: 'must be >= 1' },
    ]);
  });

  it('reads a settlement status in Chinese', () => {
    const parsed = REPORT_CONTRACTS.post_deduction.rowSchema(ctx).parse({
      deduction_id: 'D1', settled_at: '2025-03-27 03:00', settled_points: 0, status: '已沖銷', reason: '用戶退款',
    });
    expect(parsed).toMatchObject({ status: 'reversed', settled_points: 0, reason: '用戶退款' });
  });

  it.each([
    [{ live_hours: 25 }, 'live_hours', 'must be <= 24'],
    [{ new_viewers: 11 }, 'new_viewers', 'must be <= unique_viewers (10)'],
  ])('checks op stats %j', (override, column, reason) => {
    const cells = { stat_date: '2025/03/25', channel_id: 'CH1', live_hours: 5, unique_viewers: 10, new_viewers: 3, new_followers: -3, ...override };
    const parsed = REPORT_CONTRACTS.op_stats.rowSchema(ctx).safeParse(cells);
    expect(parsed.success).toBe(false);
    const rejects = parsed.error ? issuesToRejects(parsed.error.issues, cells) : [];
    expect(rejects.map((r) => [r.column, r.reason])).toEqual([[column, reason]]);
  });

  it('keeps negative net followers', () => {
    const parsed = opStatsContract.rowSchema(ctx).parse({ stat_date: 45741, channel_id: 'CH1', new_followers: '-3', category: 'Music' });
    expect(parsed).toMatchObject({ stat_date: '2025-03-25', new_followers: -3, category: 'music' });
    expect(parsed.live_hours).toBeUndefined();
  });
});

describe('absent optional columns', () => {
  it.each([
    ['top_up', { order_id: 'T1', user_id: 'U1', topup_at: '2025-03-25 10:00', amount: 1, points: 1, status: 'success' }, { currency: 'TWD' }],
    ['pre_deduction', { deduction_id: 'D1', user_id: 'U1', channel_id: 'C1', deducted_at: '2025-03-25 10:00', points: 1 }, { quantity: 1 }],
  ] as const)('read like blank cells in %s, defaults applied', (domain, cells, expected) => {
    expect(REPORT_CONTRACTS[domain].rowSchema(ctx).parse(cells)).toMatchObject(expected);
  });
});
