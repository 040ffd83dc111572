import { preDeductionContract } from '@sp01/contracts';
import { describe, expect, it } from 'vitest';
import { preDeductionTransform } from './pre-deduction-transform.js';

const transform = preDeductionTransform.forFile({ date1904: false });

describe('pre_deduction transform', () => {
  it('rejects a row whose required cells are blank, naming each required column', () => {
    const required = preDeductionContract.columns.filter((c) => c.headerRequired && !c.nullable).map((c) => c.name);
    const result = transform({ sheet: 'Sheet1', rowNumber: 2, cells: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejects.map((r) => r.column)).toEqual(required);
    expect(result.rejects.every((r) => /required/.test(r.reason))).toBe(true);
  });
});

const valid = {
  deduction_id: 'D20250325-000001',
  user_id: 'U000123',
  channel_id: 'CH0007',
  deducted_at: '2025/03/25 23:59:59',
  item_type: '禮物',
  item_name: '火箭',
  quantity: '2',
  points: '1,000',
};

describe('pre-deduction records', () => {
  it('types the row and derives the local deduction date', () => {
    const result = transform({ sheet: '點數預扣', rowNumber: 5, cells: valid });
    expect(result).toMatchObject({
      ok: true,
      record: {
        deduction_id: 'D20250325-000001',
        deducted_at: new Date('2025-03-25T15:59:59Z'),
        deducted_date: '2025-03-25',
        item_type: 'gift',
        item_name: '火箭',
        quantity: 2,
        points: 1000,
      },
    });
  });

  it.each([
    [{ item_type: 'Membership' }, { item_type: 'membership' }],
    [{ item_type: '彈幕' }, { item_type: 'barrage' }],
    [{ item_type: 'other' }, { item_type: 'other' }],
    [{ quantity: null }, { quantity: 1 }],
    [{ quantity: '  ' }, { quantity: 1 }],
    [{ deducted_at: 45741.99999 }, { deducted_date: '2025-03-25' }],
    [{ points: 0 }, { points: 0 }],
  ])('accepts %j', (override, expected) => {
    const result = transform({ sheet: 's', rowNumber: 2, cells: { ...valid, ...override } });
    expect(result.ok && result.record).toMatchObject(expected);
  });

  it.each([
    [{ channel_id: '' }, 'channel_id', /required/],
    [{ quantity: 0 }, 'quantity', /must be >= 1/],
    [{ quantity: 1.5 }, 'quantity', /whole number/],
    [{ points: -10 }, 'points', /must be >= 0/],
    [{ item_type: '貼圖' }, 'item_type', /one of gift, membership, barrage, other/],
    [{ deducted_at: 'soon' }, 'deducted_at', /date-time/],
  ])('rejects %j in column %s', (override, column, reason) => {
    const result = transform({ sheet: 's', rowNumber: 9, cells: { ...valid, ...override } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejects).toHaveLength(1);
    expect(result.rejects[0]?.column).toBe(column);
    expect(result.rejects[0]?.reason).toMatch(reason);
  });
});
