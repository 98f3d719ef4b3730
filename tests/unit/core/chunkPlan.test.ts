// Chunk planning: manifest chunks when hashed, fixed-size pieces otherwise; spans:
// consecutive missing chunks grouped into one Range request, bounded in bytes.

import { describe, expect, it } from 'vitest';
import { planChunks } from '../../../src/core/chunkPlan';

const h = (c: string) => c.repeat(64);

describe('planChunks', () => {
  const manifestFile = {
    size: 10,
    chunks: [
      { offset: 0, length: 4, sha256: h('a') },
      { offset: 4, length: 4, sha256: h('b') },
      { offset: 8, length: 2, sha256: h('c') },
    ],
  };

  it('uses the manifest chunks and their hashes when the manifest lists them', () => {
    const plan = planChunks(manifestFile, { chunkSize: 3 });
    expect(plan.verification).toBe('chunks');
    expect(plan.chunks).toEqual([
      { index: 0, offset: 0, length: 4, sha256: h('a') },
      { index: 1, offset: 4, length: 4, sha256: h('b') },
      { index: 2, offset: 8, length: 2, sha256: h('c') },
    ]);
  });

  const cases: Array<[string, number, number, Array<[number, number]>]> = [
    [
      'splits evenly',
      8,
      4,
      [
        [0, 4],
        [4, 4],
      ],
    ],
    [
      'ends with a short chunk',
      10,
      4,
      [
        [0, 4],
        [4, 4],
        [8, 2],
      ],
    ],
    ['keeps a file smaller than a chunk whole', 3, 8, [[0, 3]]],
    ['plans nothing for an empty file', 0, 8, []],
    [
      'makes one-byte chunks',
      3,
      1,
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
    ],
  ];
  it.each(cases)('whole-file verification %s', (_name, size, chunkSize, expected) => {
    const plan = planChunks({ size, chunks: [] }, { chunkSize });
    expect(plan.verification).toBe('whole-file');
    expect(plan.chunks.map((c) => [c.offset, c.length])).toEqual(expected);
    expect(plan.chunks.every((c, i) => c.index === i && c.sha256 === null)).toBe(true);
  });

  it('ignores chunk hashes when whole-file verification is asked for', () => {
    const plan = planChunks(manifestFile, { chunkSize: 5, verification: 'whole-file' });
    expect(plan.verification).toBe('whole-file');
    expect(plan.chunks.map((c) => [c.offset, c.length, c.sha256])).toEqual([
      [0, 5, null],
      [5, 5, null],
    ]);
  });

  it('gives different plan ids to different grains so a journal is never misread', () => {
    const a = planChunks({ size: 10, chunks: [] }, { chunkSize: 4 }).planId;
    const b = planChunks({ size: 10, chunks: [] }, { chunkSize: 5 }).planId;
    const c = planChunks(manifestFile, { chunkSize: 4 }).planId;
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses chunk size %s', (chunkSize) => {
    expect(() => planChunks({ size: 10, chunks: [] }, { chunkSize })).toThrow(RangeError);
  });
});
