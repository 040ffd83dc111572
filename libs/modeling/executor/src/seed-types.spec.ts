import { describe, expect, it } from 'vitest';
import { inferSeedType } from './seed-types.js';

describe('seed type inference', () => {
  it.each([
    [['1', '2', '-3'], 'integer'],
    [['1', '2.5'], 'number'],
    [['1e3', '0.5'], 'number'],
    [['3000000000'], 'number'],
    [['true', 'False'], 'boolean'],
    [['2024-01-01', null, '2024-02-29'], 'date'],
    [['2024-01-01 10:00:00', '2024-01-02T11:30'], 'datetime'],
    [['2024-01-01', '2024-01-02 10:00'], 'datetime'],
    [['1', 'x'], 'text'],
    [['2024-13-45'], 'text'],
    [[null, ''], 'text'],
    [['007'], 'integer'],
  ] as const)('%j is %s', (cells, type) => {
    expect(inferSeedType(cells)).toBe(type);
  });
});
