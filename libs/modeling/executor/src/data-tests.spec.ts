import { describe, expect, it } from 'vitest';
import { meetsCondition, storesFailures, testOutcome } from './data-tests.js';
import type { TestConfig } from '@sp01/modeling-compiler';

describe('warn_if / error_if conditions', () => {
  it.each([
    [0, '!=0', false],
    [1, '!=0', true],
    [1, '<>0', true],
    [10, '>10', false],
    [11, '>10', true],
    [5, '>=5', true],
    [4, '>= 5', false],
    [3, '<3', false],
    [3, '<=3', true],
    [2, '=2', true],
    [2, '==2', true],
  ])('%i failures against %s is %s', (failures, condition, expected) => {
    expect(meetsCondition(failures, condition)).toBe(expected);
  });

  it('refuses a condition it cannot read', () => {
    expect(() => meetsCondition(1, 'more than 3')).toThrow(/cannot read the test condition 'more than 3'/);
  });
});

describe('test status (dbt rules)', () => {
  const config = (severity: 'error' | 'warn', warn_if = '!=0', error_if = '!=0') => ({ severity, warn_if, error_if });
  it.each([
    ['error', 0, '!=0', '!=0', 'pass', null],
    ['error', 3, '!=0', '!=0', 'fail', 'Got 3 results, configured to fail if !=0'],
    ['warn', 3, '!=0', '!=0', 'warn', 'Got 3 results, configured to warn if !=0'],
    ['error', 5, '>0', '>10', 'warn', 'Got 5 results, configured to warn if >0'],
    ['error', 11, '>0', '>10', 'fail', 'Got 11 results, configured to fail if >10'],
    ['warn', 11, '>0', '>10', 'warn', 'Got 11 results, configured to warn if >0'],
    ['error', 1, '>5', '>10', 'pass', null],
    ['error', 1, '!=0', '!=0', 'fail', 'Got 1 result, configured to fail if !=0'],
  ] as const)('severity %s with %i failures (warn_if %s, error_if %s) is %s', (severity, failures, warnIf, errorIf, status, message) => {
    expect(testOutcome(config(severity, warnIf, errorIf), failures)).toEqual({ status, message });
  });
});

describe('store_failures', () => {
  const config = (overrides: Partial<TestConfig>) => ({ store_failures: null, store_failures_as: null, ...overrides }) as TestConfig;
  it.each([
    [{}, false, false],
    [{}, true, true],
    [{ store_failures: false }, true, false],
    [{ store_failures: true }, false, true],
    [{ store_failures_as: 'view' as const }, false, true],
    [{ store_failures_as: 'table' as const, store_failures: false }, false, true],
  ])('config %j with the flag %s stores: %s', (overrides, flag, expected) => {
    expect(storesFailures(config(overrides), flag)).toBe(expected);
  });
});
