import { describe, expect, it } from 'vitest';
import { boxPlacement } from '../../../../src/core/tasks/boxPlacement';

describe('boxPlacement', () => {
  it.each([
    ['a box inside', [0.1, 0.2, 0.4, 0.8], [10, 20, 30, 60]],
    ['the whole photo', [0, 0, 1, 1], [0, 0, 100, 100]],
    ['corners outside, clamped', [-0.5, -1, 1.5, 2], [0, 0, 100, 100]],
    ['swapped corners', [0.4, 0.8, 0.1, 0.2], [10, 20, 30, 60]],
    ['a point', [0.5, 0.5, 0.5, 0.5], [50, 50, 0, 0]],
    ['NaN corners', [Number.NaN, 0.2, 0.4, Number.NaN], [0, 0, 40, 20]],
  ])('%s', (_, [xmin, ymin, xmax, ymax], [left, top, width, height]) => {
    const got = boxPlacement({ xmin, ymin, xmax, ymax } as never);
    expect(got.left).toBeCloseTo(left as number, 9);
    expect(got.top).toBeCloseTo(top as number, 9);
    expect(got.width).toBeCloseTo(width as number, 9);
    expect(got.height).toBeCloseTo(height as number, 9);
  });
});
