import { describe, expect, it } from 'vitest';
import { addDays, businessDate, businessHour, daysBetween, taipeiLocalToUtc } from './business-date.js';

describe('Asia/Taipei business time', () => {
  it.each([
    // local wall clock → UTC instant
    [[2025, 3, 25, 14, 3, 22], '2025-03-25T06:03:22.000Z'],
    [[2025, 3, 25, 0, 0, 0], '2025-03-24T16:00:00.000Z'],
    [[2024, 2, 29, 7, 30, 0], '2024-02-28T23:30:00.000Z'],
    [[2025, 12, 31, 23, 59, 59], '2025-12-31T15:59:59.000Z'],
  ] as const)('local %j is %s', (fields, iso) => {
    const [y, mo, d, h, mi, s] = fields;
    expect(taipeiLocalToUtc(y, mo, d, h, mi, s)?.toISOString()).toBe(iso);
  });

  it.each([
    [2025, 2, 29],
    [2025, 4, 31],
    [2025, 13, 1],
    [2025, 0, 10],
  ])('rejects the impossible date %i-%i-%i', (y, m, d) => {
    expect(taipeiLocalToUtc(y, m, d)).toBeUndefined();
  });

  it('names the local calendar date and hour of a UTC instant', () => {
    const lateUtc = new Date('2025-03-24T16:30:00Z');
    expect(businessDate(lateUtc)).toBe('2025-03-25');
    expect(businessHour(lateUtc)).toBe(0);
    expect(businessDate(new Date('2025-03-24T15:59:59Z'))).toBe('2025-03-24');
  });

  it('does date arithmetic on calendar dates', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2025-03-01', '2025-03-25')).toBe(24);
  });
});
