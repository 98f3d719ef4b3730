// The minimum-throughput rule's arithmetic: a rate over the last window, judged only once a window has passed.

import { describe, expect, it } from 'vitest';
import { ThroughputWindow, tooSlow } from '../../../src/core/throughputWindow';

/** Feeds `bytes` every `everyMs` from t=0 up to `untilMs`, then asks at `untilMs`. */
function rateOf(windowMs: number, bytes: number, everyMs: number, untilMs: number) {
  const w = new ThroughputWindow(windowMs, 0);
  // Halfway between ticks, so that no byte lands on a bucket's edge.
  for (let t = everyMs / 2; t <= untilMs; t += everyMs) w.add(bytes, t);
  return w.rate(untilMs);
}

describe('ThroughputWindow', () => {
  const cases: Array<[string, number, number, number, number, number | null]> = [
    ['is not judged before one window has passed', 1000, 1, 100, 999, null],
    ['measures a steady 1 kB/s', 1000, 100, 100, 5000, 1000],
    ['measures one byte every 200 ms as 5 B/s', 20_000, 1, 200, 30_000, 5],
    ['measures a fast body without growing', 1000, 65_536, 1, 3000, 65_536_000],
  ];
  it.each(cases)('%s', (_name, windowMs, bytes, everyMs, untilMs, expected) => {
    const rate = rateOf(windowMs, bytes, everyMs, untilMs);
    if (expected === null) expect(rate).toBeNull();
    else expect(Math.abs((rate as number) / expected - 1)).toBeLessThan(0.1);
  });

  it('forgets bytes older than the window (a burst then silence reads as slow)', () => {
    const w = new ThroughputWindow(1000, 0);
    w.add(1_000_000, 10);
    expect(w.rate(1000)).toBeGreaterThan(100_000);
    expect(w.rate(2500)).toBe(0);
  });

  it('counts the window from its start, not from the first byte', () => {
    const w = new ThroughputWindow(1000, 500);
    w.add(10, 600);
    expect(w.rate(1400)).toBeNull();
    expect(w.rate(1500)).not.toBeNull();
  });

  it('rejects a window that is not positive', () => {
    expect(() => new ThroughputWindow(0, 0)).toThrow(RangeError);
  });
});

describe('tooSlow', () => {
  const cases: Array<[string, number, number, boolean]> = [
    ['a trickle under the floor', 5, 512, true],
    ['a rate over the floor', 1000, 512, false],
    ['anything when the floor is 0 (rule off)', 0, 0, false],
  ];
  it.each(cases)('flags %s: %s', (_name, bytesPerSecond, floor, slow) => {
    const w = new ThroughputWindow(1000, 0);
    for (let t = 100; t <= 2000; t += 100) w.add(bytesPerSecond / 10, t);
    expect(tooSlow(w, floor, 2000) !== null).toBe(slow);
  });
});
