import { describe, expect, it } from 'vitest';
import { freshnessStatus, thresholdSeconds } from './freshness.js';

describe('source freshness status', () => {
  const rule = { warn_after: { count: 12, period: 'hour' as const }, error_after: { count: 1, period: 'day' as const }, filter: null };
  it.each([
    [3600, 'pass'],
    [12 * 3600, 'pass'],
    [12 * 3600 + 1, 'warn'],
    [86_400 + 1, 'error'],
  ] as const)('%i seconds old is %s', (age, status) => {
    expect(freshnessStatus(rule, age)).toBe(status);
  });

  it('judges with only one threshold', () => {
    expect(freshnessStatus({ warn_after: null, error_after: { count: 30, period: 'minute' }, filter: null }, 1801)).toBe('error');
    expect(freshnessStatus({ warn_after: { count: 2, period: 'day' }, error_after: null, filter: null }, 10 * 86_400)).toBe('warn');
  });

  it.each([
    [{ count: 5, period: 'minute' as const }, 300],
    [{ count: 2, period: 'hour' as const }, 7200],
    [{ count: 1, period: 'day' as const }, 86_400],
  ])('%j is %i seconds', (threshold, seconds) => {
    expect(thresholdSeconds(threshold)).toBe(seconds);
  });
});
