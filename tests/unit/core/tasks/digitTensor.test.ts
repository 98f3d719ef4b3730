// MNIST input from an image: greyscale, inverted when the ink is dark, and a
// drawing's ink fitted into the 20-pixel box MNIST digits sit in.

import { describe, expect, it } from 'vitest';
import { digitTensor, fitInk, greyscale } from '../../../../src/core/tasks/digitTensor';

/** A size×size RGBA image of one grey level with one pixel of another. */
function image(size: number, ground: number, ink: number, at: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let p = 0; p < size * size; p++) {
    const v = p === at ? ink : ground;
    rgba.set([v, v, v, 255], p * 4);
  }
  return rgba;
}

describe('digitTensor', () => {
  it.each([
    { name: 'white ink on black stays', ground: 0, ink: 255, want: [255, 0] },
    { name: 'black ink on white is inverted', ground: 255, ink: 0, want: [255, 0] },
    { name: 'grey ink on black keeps its level', ground: 0, ink: 100, want: [100, 0] },
  ])('$name', ({ ground, ink, want }) => {
    const t = digitTensor(image(4, ground, ink, 5), 4);
    expect([t[5], t[0]]).toEqual(want);
  });

  it('refuses an image of the wrong size', () => {
    expect(() => digitTensor(new Uint8ClampedArray(12), 2)).toThrow(RangeError);
  });

  it('counts transparent pixels as black', () => {
    expect(Array.from(greyscale([255, 255, 255, 0, 255, 255, 255, 255]))).toEqual([0, 255]);
  });
});

describe('fitInk', () => {
  it.each([
    {
      name: 'a tall stroke is scaled to 20 px high and centred',
      ink: { x: 10, y: 0, w: 5, h: 100 },
      want: { sx: 10, sy: 0, sw: 5, sh: 100, dx: 13.5, dy: 4, dw: 1, dh: 20 },
    },
    {
      name: 'a square blob fills the 20 px box',
      ink: { x: 50, y: 60, w: 40, h: 40 },
      want: { sx: 50, sy: 60, sw: 40, sh: 40, dx: 4, dy: 4, dw: 20, dh: 20 },
    },
  ])('$name', ({ ink, want }) => {
    const width = 200;
    const pad = new Uint8Array(width * width);
    for (let y = ink.y; y < ink.y + ink.h; y++)
      pad.fill(255, y * width + ink.x, y * width + ink.x + ink.w);
    expect(fitInk(pad, width, width)).toEqual(want);
  });

  it('is null for an empty pad', () => {
    expect(fitInk(new Uint8Array(16), 4, 4)).toBeNull();
  });
});
