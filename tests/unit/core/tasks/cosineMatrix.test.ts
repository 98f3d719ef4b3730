// Cosine similarity for the embeddings screen.

import { describe, expect, it } from 'vitest';
import { cosine, cosineMatrix } from '../../../../src/core/tasks/cosineMatrix';

describe('cosine', () => {
  it.each([
    { a: [1, 0], b: [2, 0], want: 1 },
    { a: [1, 0], b: [0, 3], want: 0 },
    { a: [1, 1], b: [-1, -1], want: -1 },
  ])('$a · $b', ({ a, b, want }) => {
    expect(cosine(a, b)).toBeCloseTo(want, 12);
  });

  it('is NaN for a zero vector and throws on different lengths', () => {
    expect(cosine([0, 0], [1, 0])).toBeNaN();
    expect(() => cosine([1], [1, 2])).toThrow(RangeError);
  });

  it('builds a symmetric matrix with ones on the diagonal', () => {
    const m = cosineMatrix([
      [1, 2],
      [3, -1],
      [0.5, 0.5],
    ]);
    for (let i = 0; i < 3; i++) {
      expect(m[i]?.[i]).toBeCloseTo(1, 12);
      for (let j = 0; j < 3; j++) expect(m[i]?.[j]).toBeCloseTo(m[j]?.[i] as number, 12);
    }
  });
});
