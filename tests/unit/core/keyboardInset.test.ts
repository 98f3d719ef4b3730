import { describe, expect, it } from 'vitest';
import { keyboardInset, type ViewportGeometry } from '../../../src/core/keyboardInset';

const ipad = { layoutHeight: 1180, visualTop: 0, visualHeight: 1180, visualScale: 1 };

describe('keyboardInset', () => {
  const cases: Array<[string, ViewportGeometry, number]> = [
    ['no keyboard: nothing to keep clear', ipad, 0],
    [
      'iPad keyboard: the visual viewport lost its bottom 400 px',
      { ...ipad, visualHeight: 780 },
      400,
    ],
    [
      'Safari scrolled the visual viewport down by 100 px: 300 px hidden below it',
      { ...ipad, visualTop: 100, visualHeight: 780 },
      300,
    ],
    ['fractional sizes are rounded', { ...ipad, visualHeight: 779.6 }, 400],
    ['pinch zoom is no keyboard', { ...ipad, visualHeight: 590, visualScale: 2 }, 0],
    [
      'a visual viewport past the layout bottom (rubber-band scroll) gives 0',
      { ...ipad, visualTop: 40 },
      0,
    ],
    [
      'VirtualKeyboard API rect wins over the visual viewport',
      { ...ipad, keyboard: { top: 880, height: 300 } },
      300,
    ],
    [
      'a closed VirtualKeyboard (zero rect) falls back to the visual viewport',
      { ...ipad, visualHeight: 800, keyboard: { top: 0, height: 0 } },
      380,
    ],
    [
      'a rect above the top is capped at the whole height',
      { ...ipad, keyboard: { top: -50, height: 2000 } },
      1180,
    ],
    ['NaN from a broken report gives 0', { ...ipad, visualHeight: Number.NaN }, 0],
  ];
  for (const [name, geometry, inset] of cases) {
    it(name, () => expect(keyboardInset(geometry)).toBe(inset));
  }
});
