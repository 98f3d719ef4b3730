// Benchmark results on the device: newest first, bounded, exported under a dated name.

import { describe, expect, it } from 'vitest';
import {
  addBenchmark,
  type BenchmarkRecord,
  benchmarkFileName,
  MAX_BENCHMARKS,
} from '../../../src/core/benchmarkHistory';

const run = (n: number): BenchmarkRecord => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  appVersion: '0.1.0',
  modelKey: 'stories260k@1.0.0',
  modelName: 'Stories 260K',
  loadMs: 100 + n,
  timeToFirstTokenMs: 20,
  tokensPerSecond: 50,
  tokens: 32,
  memoryBytes: null,
});

describe('addBenchmark', () => {
  it.each<[string, number, number, number[]]>([
    ['into an empty history', 1, 10, [0]],
    ['newest first', 4, 10, [3, 2, 1, 0]],
    ['drops the oldest past the bound', 6, 3, [5, 4, 3]],
    ['a bound of zero keeps nothing', 3, 0, []],
  ])('%s', (_name, runs, max, expected) => {
    let history: BenchmarkRecord[] = [];
    for (let i = 0; i < runs; i++) history = addBenchmark(history, run(i), max);
    expect(history.map((r) => r.loadMs - 100)).toEqual(expected);
  });

  it('bounds the history at MAX_BENCHMARKS by default', () => {
    let history: BenchmarkRecord[] = [];
    for (let i = 0; i < MAX_BENCHMARKS + 5; i++) history = addBenchmark(history, run(i));
    expect(history).toHaveLength(MAX_BENCHMARKS);
  });
});

describe('benchmarkFileName', () => {
  it('is dated and safe on every file system', () => {
    expect(benchmarkFileName(new Date(Date.UTC(2026, 10, 29, 18, 5, 7, 9)))).toBe(
      'runanywhere-benchmarks-2026-11-29T18-05-07-009Z.json',
    );
  });
});
