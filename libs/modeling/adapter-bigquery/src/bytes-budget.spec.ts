import { describe, expect, it } from 'vitest';
import { assertWithinBytesBudget, BytesBudgetExceededError, checkBytesBudget, formatBytes, onDemandCost, parseByteSize } from './bytes-budget.js';

describe('parseByteSize', () => {
  it.each([
    ['1000', 1000],
    ['1e9', 1e9],
    ['10GB', 1e10],
    ['10 gb', 1e10],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['2TiB', 2 * 2 ** 40],
    ['500MB', 5e8],
    ['7B', 7],
    [12.9, 12],
  ])('%j is %i bytes', (input, bytes) => {
    expect(parseByteSize(input)).toBe(bytes);
  });

  it.each(['', 'ten', '10XB', '-5GB', '1,000'])('refuses %j', (input) => {
    expect(() => parseByteSize(input)).toThrow(/byte size/);
  });
});

describe('budget', () => {
  const estimates = [
    { unique_id: 'model.a', bytes_processed: 3 * 2 ** 30 },
    { unique_id: 'model.b', bytes_processed: 2 ** 30 },
    { unique_id: 'model.c' },
    { unique_id: 'model.d', bytes_processed: 7 * 2 ** 30 },
  ];

  it('adds up what is known and lists the largest first', () => {
    const check = checkBytesBudget(estimates, 20 * 2 ** 30);
    expect(check).toMatchObject({ total_bytes: 11 * 2 ** 30, within_budget: true });
    expect(check.largest.map((e) => e.unique_id)).toEqual(['model.d', 'model.a', 'model.b']);
  });

  it('is within budget exactly at the limit, over it one byte above', () => {
    expect(checkBytesBudget(estimates, 11 * 2 ** 30).within_budget).toBe(true);
    expect(checkBytesBudget(estimates, 11 * 2 ** 30 - 1).within_budget).toBe(false);
  });

  it('stops with a message naming the total, the budget and the biggest models', () => {
    expect(() => assertWithinBytesBudget(estimates, 10 * 2 ** 30)).toThrow(BytesBudgetExceededError);
    expect(() => assertWithinBytesBudget(estimates, 10 * 2 ** 30)).toThrow('the selection would process 11.0 GiB, over the --max-bytes budget of 10.0 GiB; largest: model.d 7.0 GiB, model.a 3.0 GiB, model.b 1.0 GiB');
  });

  it('prices bytes on demand per TiB', () => {
    expect(onDemandCost(2 ** 40)).toBe(6.25);
    expect(onDemandCost(2 ** 39, 5)).toBe(2.5);
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});
