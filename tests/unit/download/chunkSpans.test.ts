// Spans: consecutive missing chunks grouped into one Range request, bounded in bytes.

import { describe, expect, it } from 'vitest';
import { type PlannedChunk, planSpans } from '../../../src/core/chunkPlan';

const chunk = (index: number, offset: number, length: number): PlannedChunk => ({
  index,
  offset,
  length,
  sha256: null,
});
const four = [chunk(0, 0, 4), chunk(1, 4, 4), chunk(2, 8, 4), chunk(3, 12, 2)];

describe('planSpans', () => {
  const cases: Array<[string, PlannedChunk[], number, number[][]]> = [
    [
      'groups adjacent chunks up to the byte limit',
      four,
      8,
      [
        [0, 1],
        [2, 3],
      ],
    ],
    ['puts everything in one span when it fits', four, 100, [[0, 1, 2, 3]]],
    [
      'fetches one chunk per request when the limit is below a chunk',
      four,
      0,
      [[0], [1], [2], [3]],
    ],
    [
      'never joins chunks across a gap (a chunk already done)',
      [four[0], four[2], four[3]] as PlannedChunk[],
      100,
      [[0], [2, 3]],
    ],
    ['plans nothing for no chunks', [], 100, []],
  ];
  it.each(cases)('%s', (_name, chunks, max, expected) => {
    const spans = planSpans(chunks, max);
    expect(spans.map((s) => s.chunks.map((c) => c.index))).toEqual(expected);
    for (const s of spans) {
      const last = s.chunks.at(-1) as PlannedChunk;
      expect(s.offset).toBe(s.chunks[0]?.offset);
      expect(s.length).toBe(last.offset + last.length - s.offset);
    }
  });
});
