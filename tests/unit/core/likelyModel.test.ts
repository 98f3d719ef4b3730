// The model preloading warms up: the one used most around this hour of the
// day; ties and hours with no use go to the last used; never an unused one.

import { describe, expect, it } from 'vitest';
import { type HourlyUse, likelyModel, recordUse, usesAround } from '../../../src/core/likelyModel';

/** 24 hourly counts with `uses` at the given hours. */
const hours = (uses: Record<number, number>) => Array.from({ length: 24 }, (_, h) => uses[h] ?? 0);

// A uses model A in the morning (8 h), model B in the evening (20 h); B was used last.
const morningA = { A: hours({ 8: 5 }), B: hours({ 20: 5 }) };
const lastB = { A: 100, B: 200 };

describe('likelyModel', () => {
  it.each<[string, string[], Record<string, number>, HourlyUse, number, string | null]>([
    [
      'morning: the morning model, though the other was used last',
      ['A', 'B'],
      lastB,
      morningA,
      8,
      'A',
    ],
    ['evening: the evening model', ['A', 'B'], { A: 200, B: 100 }, morningA, 20, 'B'],
    ['an hour next to the usual one still counts', ['A', 'B'], lastB, morningA, 9, 'A'],
    [
      'wraps round midnight',
      ['A', 'B'],
      lastB,
      { A: hours({ 23: 2 }), B: hours({ 12: 9 }) },
      0,
      'A',
    ],
    ['no use around this hour: the last used', ['A', 'B'], lastB, morningA, 14, 'B'],
    [
      'a tie at this hour: the last used',
      ['A', 'B'],
      { A: 300, B: 200 },
      { A: hours({ 8: 3 }), B: hours({ 8: 3 }) },
      8,
      'A',
    ],
    [
      'a tie goes to the last used either way round',
      ['A', 'B'],
      lastB,
      { A: hours({ 8: 3 }), B: hours({ 8: 3 }) },
      8,
      'B',
    ],
    ['no history by hour: the last used', ['A', 'B'], lastB, {}, 8, 'B'],
    ['nothing ever used: none', ['A', 'B'], {}, {}, 8, null],
    ['no candidates: none', [], lastB, morningA, 8, null],
    ['a model not among the candidates (deleted) is never chosen', ['B'], lastB, morningA, 8, 'B'],
    ['used by hour only (last-used lost): still chosen', ['A'], {}, morningA, 8, 'A'],
  ])('%s', (_name, keys, lastUsed, hourly, hour, expected) => {
    expect(likelyModel(keys, { lastUsed, hourly }, hour)).toBe(expected);
  });
});

describe('recordUse', () => {
  it('adds one use at the local hour and keeps every other count', () => {
    const at = new Date(2026, 0, 5, 8, 30);
    const after = recordUse(morningA, 'A', at);
    expect(after.A).toEqual(hours({ 8: 6 }));
    expect(after.B).toEqual(morningA.B);
    expect(morningA.A).toEqual(hours({ 8: 5 }));
  });

  it('starts a model with no history at one use', () => {
    const after = recordUse({}, 'C', new Date(2026, 0, 5, 20, 0));
    expect(after.C).toEqual(hours({ 20: 1 }));
    expect(usesAround(after, 'C', 21)).toBe(1);
  });
});
