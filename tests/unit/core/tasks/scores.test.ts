// Ranking a classifier's output: dequantization, softmax and top-k.

import { describe, expect, it } from 'vitest';
import { dequantize, softmax, topK } from '../../../../src/core/tasks/scores';

describe('dequantize', () => {
  it.each([
    { values: [107, -24, -128], q: { scale: 0.5, zeroPoint: -24 }, want: [65.5, 0, -52] },
    { values: [1.5, -2], q: undefined, want: [1.5, -2] },
  ])('$values with $q', ({ values, q, want }) => {
    expect(Array.from(dequantize(values, q))).toEqual(want);
  });
});

describe('softmax', () => {
  it('sums to 1 and survives large logits', () => {
    const p = softmax([1000, 1000, 999]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(p[1] as number, 12);
    expect(p[0]).toBeGreaterThan(p[2] as number);
  });
});

describe('topK', () => {
  it.each([
    { values: [3, 9, 1, 9, 5], k: 3, want: [1, 3, 4] },
    { values: [0.1, -2], k: 5, want: [0, 1] },
    { values: [4, 2], k: 0, want: [] },
  ])('top $k of $values', ({ values, k, want }) => {
    expect(topK(values, k).map((r) => r.index)).toEqual(want);
  });
});
