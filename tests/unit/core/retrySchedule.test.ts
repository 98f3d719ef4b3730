// Retry schedule: exponential backoff with equal jitter, ceilings, Retry-After.

import { describe, expect, it } from 'vitest';
import {
  canRetry,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
} from '../../../src/core/retrySchedule';

const policy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
};

describe('retryDelay', () => {
  const cases: Array<[number, number, number]> = [
    // retry, random, expected ms
    [1, 0, 50],
    [1, 1, 100],
    [2, 0, 100],
    [2, 1, 200],
    [3, 0.5, 300],
    [4, 1, 800],
    [5, 1, 1000], // capped at maxDelayMs
    [20, 0, 500], // cap applies before jitter: never below half the cap
  ];
  it.each(cases)('retry %i with random %s waits %i ms', (retry, random, expected) => {
    expect(retryDelay(retry, policy, { random: () => random })).toBe(expected);
  });

  it('waits at least the Retry-After the server asked for', () => {
    expect(retryDelay(1, policy, { random: () => 0, retryAfterMs: 3000 })).toBe(3000);
  });

  it('caps an absurd Retry-After at maxRetryAfterMs', () => {
    expect(retryDelay(1, policy, { random: () => 0, retryAfterMs: 86_400_000 })).toBe(5000);
  });

  it('keeps the backoff when it is longer than Retry-After', () => {
    expect(retryDelay(5, policy, { random: () => 1, retryAfterMs: 10 })).toBe(1000);
  });

  it('grows delays monotonically until the ceiling for a fixed random', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((r) => retryDelay(r, policy, { random: () => 0.3 }));
    for (let i = 1; i < delays.length; i++)
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
  });
});

describe('canRetry', () => {
  it.each([
    [1, true],
    [3, true],
    [4, false],
  ])('after %i failures with 3 retries allowed: %s', (failures, expected) => {
    expect(canRetry(failures, policy)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const cases: Array<[string | null, number | null]> = [
    [null, null],
    ['', null],
    ['0', 0],
    ['7', 7000],
    [' 2 ', 2000],
    ['Wed, 01 Jan 2025 00:00:10 GMT', 10_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0], // a date in the past means now
    ['soon', null],
    ['-5', null],
  ];
  it.each(cases)('%j -> %j', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
