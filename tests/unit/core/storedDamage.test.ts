import { describe, expect, it } from 'vitest';
import { planChunks } from '../../../src/core/chunkPlan';
import { chunksBeyond, fileDamage, goodChunks, sizeDamage } from '../../../src/core/storedDamage';

// 3 chunks of 10 bytes and a tail of 5: offsets 0, 10, 20, 30.
const chunks = [0, 10, 20, 30].map((offset) => ({
  offset,
  length: offset === 30 ? 5 : 10,
  sha256: 'x'.repeat(64),
}));
const plan = planChunks({ size: 35, chunks }, { chunkSize: 8 });

describe('sizeDamage', () => {
  it.each([
    { stored: 35, expected: null },
    { stored: null, expected: 'missing' },
    { stored: 20, expected: 'size' },
    { stored: 36, expected: 'size' },
    { stored: 0, expected: 'size' },
  ])('stored $stored bytes of 35: $expected', ({ stored, expected }) => {
    expect(sizeDamage('a.bin', 35, stored)?.reason ?? null).toBe(expected);
  });
});

describe('chunksBeyond', () => {
  it.each([
    { stored: 35, bad: [] },
    { stored: 100, bad: [] },
    { stored: 34, bad: [3] },
    { stored: 20, bad: [2, 3] },
    { stored: 19, bad: [1, 2, 3] },
    { stored: 0, bad: [0, 1, 2, 3] },
    { stored: null, bad: [0, 1, 2, 3] },
  ])('stored $stored bytes: chunks $bad are not all there', ({ stored, bad }) => {
    expect(chunksBeyond(plan, stored)).toEqual(bad);
  });
});

describe('fileDamage', () => {
  it.each([
    { name: 'intact', stored: 35, mismatched: [], result: null },
    { name: 'a flipped byte', stored: 35, mismatched: [1], result: ['content', [1]] },
    { name: 'truncated mid-chunk', stored: 15, mismatched: [1], result: ['size', [1, 2, 3]] },
    { name: 'deleted', stored: null, mismatched: [], result: ['missing', [0, 1, 2, 3]] },
    { name: 'grown past its size', stored: 40, mismatched: [], result: ['size', []] },
    { name: 'unsorted duplicates', stored: 35, mismatched: [2, 0, 2], result: ['content', [0, 2]] },
  ])('$name', ({ stored, mismatched, result }) => {
    const damage = fileDamage('a.bin', plan, 35, stored, mismatched);
    expect(damage && [damage.reason, damage.badChunks]).toEqual(result);
  });
});

describe('goodChunks', () => {
  it.each([
    { bad: [], good: [0, 1, 2, 3] },
    { bad: [1], good: [0, 2, 3] },
    { bad: [0, 1, 2, 3], good: [] },
  ])('bad $bad keeps $good', ({ bad, good }) => {
    expect(goodChunks(plan, bad)).toEqual(good);
  });
});
