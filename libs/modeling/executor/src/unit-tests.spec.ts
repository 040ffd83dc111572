import { describe, expect, it } from 'vitest';
import { canonicalCell, diffRows } from './unit-tests.js';

describe('unit test comparison', () => {
  it.each([
    [15, '15.000000', true],
    [15, '15.5', false],
    ['2024-01-01', '2024-01-01', true],
    [null, null, true],
    [null, 'null', false],
    [true, 'true', false],
    [new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00.000Z'), true],
  ])('%j and %j compare equal: %s', (a, b, equal) => {
    expect(canonicalCell(a) === canonicalCell(b)).toBe(equal);
  });

  it('compares rows as a multiset on the expected columns only', () => {
    const actual = [
      { id: 1, amount: '10.00', extra: 'x' },
      { id: 1, amount: '10.00', extra: 'y' },
      { id: 2, amount: '3.50', extra: 'z' },
    ];
    expect(diffRows(actual, [{ id: 2, amount: 3.5 }, { id: 1, amount: 10 }, { id: 1, amount: 10 }], ['id', 'amount'])).toEqual({ missing: [], unexpected: [] });
    expect(diffRows(actual, [{ id: 1, amount: 10 }, { id: 3, amount: 1 }], ['id', 'amount'])).toEqual({
      missing: [{ id: 3, amount: 1 }],
      unexpected: [
        { id: 1, amount: '10.00', extra: 'y' },
        { id: 2, amount: '3.50', extra: 'z' },
      ],
    });
  });

  it('matches expected column names case-insensitively', () => {
    expect(diffRows([{ customer_id: 1 }], [{ CUSTOMER_ID: 1 }], ['CUSTOMER_ID'])).toEqual({ missing: [], unexpected: [] });
  });
});
