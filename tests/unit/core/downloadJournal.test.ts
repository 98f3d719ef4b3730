// Journal logic: when a stored journal may be resumed and what is left to fetch.

import { describe, expect, it } from 'vitest';
import { planChunks } from '../../../src/core/chunkPlan';
import {
  bytesDone,
  emptyJournal,
  ifRangeValue,
  type JournalTarget,
  journalMatches,
  markChunkDone,
  missingChunks,
  sameVersion,
  validatorFrom,
} from '../../../src/core/downloadJournal';

const target: JournalTarget = {
  modelKey: 'm@1.0.0',
  path: 'a/b.bin',
  size: 10,
  sha256: 'f'.repeat(64),
  plan: planChunks({ size: 10, chunks: [] }, { chunkSize: 4 }),
  backend: 'opfs-sync',
};

describe('journal', () => {
  it('starts empty with nothing done and no validator', () => {
    const j = emptyJournal(target, 1);
    expect(j).toMatchObject({ key: 'm@1.0.0/a/b.bin', done: [], validator: null });
    expect(missingChunks(target.plan, j).map((c) => c.index)).toEqual([0, 1, 2]);
    expect(bytesDone(target.plan, j)).toBe(0);
  });

  it('records chunks in any order, once, and leaves only the others missing', () => {
    let j = emptyJournal(target, 1);
    j = markChunkDone(j, 2, 2);
    j = markChunkDone(j, 0, 3);
    j = markChunkDone(j, 2, 4);
    expect(j.done).toEqual([0, 2]);
    expect(missingChunks(target.plan, j).map((c) => c.index)).toEqual([1]);
    expect(bytesDone(target.plan, j)).toBe(6);
  });

  const mismatches: Array<[string, Partial<JournalTarget>]> = [
    ['another size', { size: 11 }],
    ['another hash', { sha256: 'e'.repeat(64) }],
    ['another grain', { plan: planChunks({ size: 10, chunks: [] }, { chunkSize: 5 }) }],
    ['another backend', { backend: 'idb' }],
  ];
  it.each(mismatches)('is not resumed for %s', (_name, change) => {
    const j = markChunkDone(emptyJournal(target, 1), 0, 2);
    expect(journalMatches(j, target)).toBe(true);
    expect(journalMatches(j, { ...target, ...change })).toBe(false);
  });

  it('is not resumed when it names chunks the plan does not have', () => {
    const j = { ...emptyJournal(target, 1), done: [0, 7] };
    expect(journalMatches(j, target)).toBe(false);
  });

  it('is not resumed when there is none', () => {
    expect(journalMatches(undefined, target)).toBe(false);
  });
});

describe('validators', () => {
  it.each([
    [null, null, null],
    ['"abc"', null, { etag: '"abc"', lastModified: null }],
    [
      null,
      'Wed, 01 Jan 2025 00:00:00 GMT',
      { etag: null, lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' },
    ],
  ])('validatorFrom(%j, %j)', (etag, lm, expected) => {
    expect(validatorFrom(etag, lm)).toEqual(expected);
  });

  it.each([
    [{ etag: '"x"', lastModified: 'D' }, '"x"'],
    [{ etag: 'W/"x"', lastModified: 'D' }, 'D'], // weak ETags cannot be used in If-Range
    [{ etag: 'W/"x"', lastModified: null }, null],
    [{ etag: null, lastModified: 'D' }, 'D'],
    [null, null],
  ])('If-Range for %j is %j', (validator, expected) => {
    expect(ifRangeValue(validator)).toBe(expected);
  });

  it.each([
    ['same ETag', { etag: '"a"', lastModified: 'D1' }, { etag: '"a"', lastModified: 'D2' }, true],
    ['new ETag', { etag: '"a"', lastModified: 'D' }, { etag: '"b"', lastModified: 'D' }, false],
    [
      'same date, no ETags',
      { etag: null, lastModified: 'D' },
      { etag: null, lastModified: 'D' },
      true,
    ],
    [
      'new date, no ETags',
      { etag: null, lastModified: 'D' },
      { etag: null, lastModified: 'E' },
      false,
    ],
    ['nothing recorded', null, { etag: '"b"', lastModified: null }, true],
  ])('%s: same version %s', (_name, recorded, seen, expected) => {
    expect(sameVersion(recorded, seen)).toBe(expected);
  });
});
