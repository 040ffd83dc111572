/** How a remote call is retried: exponential backoff with full jitter, capped. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Decides per error whether another attempt can help (429, rate limits, 5xx, resets). */
  retryable(error: unknown): boolean;
  /** Injected in tests to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Full jitter (a random delay between 0 and the exponential cap) spreads retries of many
 * clients hitting the same quota, which fixed backoff would synchronise.
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap * (policy.random ?? Math.random)());
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !policy.retryable(error)) throw error;
      const delayMs = backoffDelay(attempt, policy);
      policy.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/** The HTTP status of an error thrown by the Google clients (gaxios) or fetch-like clients. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  for (const v of [e.response?.status, e.status, e.code]) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d{3}$/.test(v)) return Number(v);
  }
  return undefined;
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'backendError', 'internalError']);

/**
 * Google's retry guidance: 429, 5xx, and 403 only when the reason is a rate limit (a plain
 * 403 is a permission problem that no retry fixes). Network resets are retried too.
 */
export function isRetryableGoogleError(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  if (status === 403) return googleErrorReasons(error).some((r) => RATE_LIMIT_REASONS.has(r));
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN'].includes(code);
}

/** The `reason` fields of a Google API error body (`error.errors[].reason`). */
export function googleErrorReasons(error: unknown): string[] {
  const e = error as { errors?: { reason?: string }[]; response?: { data?: { error?: { errors?: { reason?: string }[] } } } };
  const list = e?.errors ?? e?.response?.data?.error?.errors ?? [];
  return list.map((x) => x.reason).filter((r): r is string => typeof r === 'string');
}

export const GOOGLE_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 32_000,
  retryable: isRetryableGoogleError,
};
