import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  ProgressTracker,
  troubleText,
} from '../../../src/core/progress';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ProgressTracker', () => {
  it('emits at most once per interval but always on completion', () => {
    const c = clock();
    const tracker = new ProgressTracker({ totalBytes: 300, intervalMs: 250, now: c.now });
    expect(tracker.add(100)).not.toBeNull(); // first report is immediate
    c.advance(100);
    expect(tracker.add(100)).toBeNull(); // within the interval
    c.advance(10);
    expect(tracker.add(100)?.doneBytes).toBe(300); // completion is never swallowed
  });

  it('measures the rate over the window and derives time left from it', () => {
    const c = clock();
    const tracker = new ProgressTracker({ totalBytes: 10_000, intervalMs: 0, now: c.now });
    c.advance(1000);
    tracker.add(1000);
    c.advance(1000);
    const snap = tracker.add(1000);
    expect(snap?.bytesPerSecond).toBeCloseTo(1000);
    expect(snap?.secondsLeft).toBeCloseTo(8);
  });

  it('forgets samples older than the window, so the rate follows the network', () => {
    const c = clock();
    const tracker = new ProgressTracker({
      totalBytes: 1e9,
      intervalMs: 0,
      windowMs: 2000,
      now: c.now,
    });
    for (let i = 0; i < 10; i++) {
      c.advance(1000);
      tracker.add(10_000); // 10 kB/s for ten seconds
    }
    for (let i = 0; i < 5; i++) {
      c.advance(1000);
      tracker.add(1000); // then 1 kB/s
    }
    expect(tracker.snapshot().bytesPerSecond).toBeLessThan(2000);
  });

  it('reports unknown time left before any rate is measurable, and zero when done', () => {
    const c = clock();
    const tracker = new ProgressTracker({ totalBytes: 100, now: c.now });
    expect(tracker.snapshot().secondsLeft).toBeNull();
    c.advance(500);
    expect(tracker.add(100)?.secondsLeft).toBe(0);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1_400_000, '1.4 MB'],
    [12_345_678, '12 MB'],
    [1_900_000_000, '1.9 GB'],
    [3_000_000_000_000, '3.0 TB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59.4, '59 s'],
    [125, '2 min 5 s'],
    [3840, '1 h 4 min'],
    [-5, '0 s'],
  ])('formats %d seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('connection trouble', () => {
  const stalled = {
    path: 'a.bin',
    reason: 'stalled',
    message: 'The model server sent nothing for 30 s. Retrying.',
    attempt: 1,
    retryInMs: 500,
  };

  it('is reported at once, even inside the emit interval', () => {
    let t = 0;
    const tracker = new ProgressTracker({ totalBytes: 300, intervalMs: 250, now: () => t });
    expect(tracker.add(10)).not.toBeNull();
    t = 1;
    expect(tracker.add(10)).toBeNull();
    t = 2;
    expect(tracker.setTrouble(0, stalled).trouble).toEqual([stalled]);
    t = 3;
    expect(tracker.setTrouble(0, null).trouble).toEqual([]);
  });

  it('keeps one entry per connection', () => {
    const tracker = new ProgressTracker({ totalBytes: 300 });
    tracker.setTrouble(0, stalled);
    tracker.setTrouble(1, { ...stalled, reason: 'too-slow' });
    tracker.setTrouble(0, { ...stalled, attempt: 2 });
    expect(tracker.snapshot().trouble?.map((t) => [t.reason, t.attempt])).toEqual([
      ['stalled', 2],
      ['too-slow', 1],
    ]);
  });

  const texts: Array<[string[], string | null]> = [
    [[], null],
    [['stalled'], 'Stalled — retrying'],
    [['too-slow', 'stalled'], 'Stalled — retrying'],
    [['too-slow'], 'Too slow — retrying'],
    [['http-status'], 'Connection problem — retrying'],
    [['overlong-body'], 'Connection problem — retrying'],
  ];
  it.each(texts)('shows %j as %s', (reasons, text) => {
    expect(troubleText(reasons.map((reason) => ({ ...stalled, reason })))).toBe(text);
  });
});
