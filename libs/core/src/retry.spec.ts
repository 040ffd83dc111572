import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableGoogleError, withRetry, type RetryPolicy } from './retry.js';

const gaxios = (status: number, reason?: string) =>
  Object.assign(new Error(`HTTP ${status}`), { response: { status, data: { error: { errors: reason ? [{ reason }] : [] } } } });

describe('retry policy', () => {
  it.each([
    [gaxios(429), true],
    [gaxios(500), true],
    [gaxios(503), true],
    [gaxios(403, 'rateLimitExceeded'), true],
    [gaxios(403, 'userRateLimitExceeded'), true],
    [gaxios(403, 'insufficientPermissions'), false],
    [gaxios(401), false],
    [gaxios(404), false],
    [gaxios(400), false],
    [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true],
    [new Error('plain'), false],
  ])('%s retryable: %s', (error, expected) => {
    expect(isRetryableGoogleError(error)).toBe(expected);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, { ...policy, random: () => 0.5 })).toBe(200);
  });

  it('retries until success, then stops; gives up on a permanent error at once', async () => {
    const waits: number[] = [];
    const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100, retryable: isRetryableGoogleError, sleep: async (ms) => void waits.push(ms), random: () => 1 };
    let calls = 0;
    await expect(withRetry(async () => (++calls < 3 ? Promise.reject(gaxios(503)) : 'ok'), policy)).resolves.toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([10, 20]);

    calls = 0;
    await expect(withRetry(async () => (++calls, Promise.reject(gaxios(404))), policy)).rejects.toThrow('HTTP 404');
    expect(calls).toBe(1);

    calls = 0;
    await expect(withRetry(async () => (++calls, Promise.reject(gaxios(429))), policy)).rejects.toThrow('HTTP 429');
    expect(calls).toBe(5);
  });
});
