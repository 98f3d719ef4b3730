// The body watch ends a silent body (stall) and a trickling one (too slow), with a typed, retryable error.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BodyWatch } from '../../../src/download/bodyWatch';

const settings = { stallTimeoutMs: 1000, slowWindowMs: 2000, minBytesPerSecond: 100 };

describe('BodyWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function watch(overrides = {}) {
    let trips = 0;
    const w = new BodyWatch(
      { ...settings, ...overrides },
      { path: 'a.bin' },
      () => trips++,
      () => Date.now(),
    );
    return { w, trips: () => trips };
  }

  it('calls silence longer than the stall timeout a stall', () => {
    const { w, trips } = watch();
    vi.advanceTimersByTime(999);
    expect(trips()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(trips()).toBe(1);
    expect(w.tripped?.code).toBe('network');
    expect(w.tripped?.details).toMatchObject({ path: 'a.bin', reason: 'stalled', ms: 1000 });
  });

  it('does not call a body that keeps sending a stall', () => {
    const { w, trips } = watch();
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(100);
      w.received(100);
    }
    expect(trips()).toBe(0);
    w.stop();
  });

  it('ends a trickle (one byte every 500 ms) once a window has passed, with the measured rate', () => {
    const { w, trips } = watch();
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(500);
      w.received(1);
    }
    expect(trips()).toBe(0);
    vi.advanceTimersByTime(500);
    w.received(1);
    expect(trips()).toBe(1);
    expect(w.tripped?.details).toMatchObject({
      reason: 'too-slow',
      minBytesPerSecond: 100,
      windowMs: 2000,
    });
    expect(w.tripped?.details.bytesPerSecond).toBeLessThan(5);
    expect(w.tripped?.message).toMatch(/too slow/);
  });

  it('lets a trickle through when the floor is 0', () => {
    const { w, trips } = watch({ minBytesPerSecond: 0 });
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(500);
      w.received(1);
    }
    expect(trips()).toBe(0);
    w.stop();
  });
});
