import { postDeductionContract } from '@sp01/contracts';
import { describe, expect, it } from 'vitest';
import { postDeductionTransform } from './post-deduction-transform.js';

const transform = postDeductionTransform.forFile({ date1904: false });

describe('post_deduction transform', () => {
  it('rejects a row whose required cells are blank, naming each required column', () => {
    const required = postDeductionContract.columns.filter((c) => c.headerRequired && !c.nullable).map((c) => c.name);
    const result = transform({ sheet: 'Sheet1', rowNumber: 2, cells: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejects.map((r) => r.column)).toEqual(required);
    expect(result.rejects.every((r) => /required/.test(r.reason))).toBe(true);
  });
});

const valid = {
  deduction_id: 'D20250325-000001',
  settled_at: '2025-03-27T00:30:00',
  settled_points: '1,000',
  status: '已結算',
  reason: null,
};

describe('post-deduction records', () => {
  it('types the row and derives the local settlement date', () => {
    const result = transform({ sheet: '點數實扣', rowNumber: 4, cells: valid });
    expect(result).toMatchObject({
      ok: true,
      record: { deduction_id: 'D20250325-000001', settled_at: new Date('2025-03-26T16:30:00Z'), settled_date: '2025-03-27', settled_points: 1000, status: 'settled' },
    });
  });

  it.each([
    [{ status: '已沖銷', settled_points: 0, reason: '用戶申訴' }, { status: 'reversed', settled_points: 0, reason: '用戶申訴' }],
    [{ status: 'Partially Reversed', settled_points: '600' }, { status: 'partially_reversed', settled_points: 600 }],
    [{ status: '部分沖銷' }, { status: 'partially_reversed' }],
    [{ status: 'settled' }, { status: 'settled' }],
  ])('accepts %j', (override, expected) => {
    const result = transform({ sheet: 's', rowNumber: 2, cells: { ...valid, ...override } });
    expect(result.ok && result.record).toMatchObject(expected);
  });

  it.each([
    [{ status: '' }, 'status', /required/],
    [{ status: 'pending' }, 'status', /one of settled, reversed, partially_reversed/],
    [{ settled_points: '-1' }, 'settled_points', /must be >= 0/],
    [{ settled_at: '2025-02-30 10:00' }, 'settled_at', /date-time/],
  ])('rejects %j in column %s', (override, column, reason) => {
    const result = transform({ sheet: 's', rowNumber: 9, cells: { ...valid, ...override } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejects.map((r) => r.column)).toEqual([column]);
    expect(result.rejects[0]?.reason).toMatch(reason);
  });
});
