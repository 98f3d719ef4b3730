// When to try a failed request again: exponential backoff with jitter, a
// ceiling, a limit on attempts, and the server's Retry-After honoured.

export interface RetryPolicy {
  /** Retries after the first attempt; 0 means fail on the first error. */
  maxRetries: number;
  /** Delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** Ceiling of the exponential delay. */
  maxDelayMs: number;
  /** Ceiling of a server's Retry-After (a broken server must not park us for a day). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry).
 * "Equal jitter": half the exponential delay is fixed, half random, so clients
 * spread out but never retry at once. A Retry-After is a floor.
 */
export function retryDelay(
  retry: number,
  policy: RetryPolicy,
  {
    random = Math.random,
    retryAfterMs = null,
  }: { random?: () => number; retryAfterMs?: number | null } = {},
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = exp / 2 + (exp / 2) * random();
  if (retryAfterMs === null || !(retryAfterMs >= 0)) return Math.round(jittered);
  return Math.round(Math.max(jittered, Math.min(retryAfterMs, policy.maxRetryAfterMs)));
}

/** Whether another attempt is allowed after `failures` failed ones. */
export function canRetry(failures: number, policy: RetryPolicy): boolean {
  return failures <= policy.maxRetries;
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date always names its weekday or month; bare numbers like "-5" are junk.
  if (!/[a-z]/i.test(value)) return null;
  const date = Date.parse(value);
  if (!Number.isFinite(date)) return null;
  return Math.max(0, date - now);
}
