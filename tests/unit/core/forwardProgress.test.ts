// The progress a user sees never moves backwards within one download.

import { describe, expect, it } from 'vitest';
import { forwardProgress } from '../../../src/core/forwardProgress';

const p = (doneBytes: number, totalBytes = 1000) => ({ doneBytes, totalBytes });

describe('forwardProgress', () => {
  it.each<[string, ReturnType<typeof p> | null, ReturnType<typeof p>, number]>([
    ['the first report is shown as is', null, p(100), 100],
    ['forward moves forward', p(100), p(300), 300],
    ['a resume that re-counts a partly fetched chunk holds the highest count', p(500), p(420), 500],
    ['equal stays equal', p(500), p(500), 500],
    ['another total (a repair, a new version) starts over', p(900), p(10, 200), 10],
  ])('%s', (_name, previous, next, shown) => {
    expect(forwardProgress(previous, next).doneBytes).toBe(shown);
  });

  it('keeps the other fields of the new report', () => {
    const next = { doneBytes: 10, totalBytes: 1000, bytesPerSecond: 42 };
    expect(forwardProgress({ ...next, doneBytes: 50 }, next)).toEqual({ ...next, doneBytes: 50 });
  });
});
