// BENCH_THREADS: the default pair, lists as given, refusals of bad input, and the check
// that each side ran at the asked count.
import { describe, expect, it } from 'vitest';
import { benchThreads, checkThreadsUsed, multiThreadCount } from '../../bench/support/benchThreads';

describe('benchThreads', () => {
  it.each([
    ['unset, 2 CPUs', undefined, 2, [1, 2]],
    ['unset, 16 CPUs: at most 4', undefined, 16, [1, 4]],
    ['empty, 8 CPUs', '  ', 8, [1, 4]],
    ['unset, 1 CPU: one count', undefined, 1, [1]],
    ['one count only', '2', 16, [2]],
    ['a list, in its order, spaces allowed', '4, 1', 16, [4, 1]],
    ['repeats dropped', '1,2,1', 16, [1, 2]],
  ])('%s', (_name, value, cpus, expected) => {
    expect(benchThreads(value, cpus)).toEqual(expected);
  });

  it.each([['0'], ['-1'], ['1.5'], ['two'], ['1,,2']])('refuses %j', (value) => {
    expect(() => benchThreads(value, 4)).toThrow(/BENCH_THREADS: .* not a positive whole number/);
  });

  it('never asks for fewer than one thread', () => {
    expect(multiThreadCount(0)).toBe(1);
  });
});

describe('checkThreadsUsed', () => {
  it('passes when both ran at the asked count', () => {
    expect(() => checkThreadsUsed(2, { ours: 2, peer: 2 })).not.toThrow();
  });

  it.each([
    [{ ours: 1, peer: 2 }, /ours ran at 1/],
    [{ ours: 2, peer: 1 }, /peer ran at 1/],
    [{ ours: 0, peer: 4 }, /ours ran at 0, peer ran at 4/],
  ])('names the side that did not: %j', (used, message) => {
    expect(() => checkThreadsUsed(2, used)).toThrow(message);
  });
});
