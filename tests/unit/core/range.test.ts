// Table-driven tests for the Range / Content-Range helpers shared by server, downloader and SW.

import { describe, expect, it } from 'vitest';
import {
  formatContentRange,
  formatRangeHeader,
  formatUnsatisfiedRange,
  parseContentRange,
  parseRangeHeader,
  rangeLength,
} from '../../../src/core/range';

describe('parseRangeHeader', () => {
  const cases: Array<[string | null | undefined, number, ReturnType<typeof parseRangeHeader>]> = [
    // Absent: serve whole.
    [undefined, 100, null],
    [null, 100, null],
    ['', 100, null],
    // bytes=a-b
    ['bytes=0-0', 100, { start: 0, end: 0 }],
    ['bytes=0-99', 100, { start: 0, end: 99 }],
    ['bytes=10-19', 100, { start: 10, end: 19 }],
    ['bytes=90-200', 100, { start: 90, end: 99 }], // end clamped to the last byte
    ['bytes=99-99', 100, { start: 99, end: 99 }],
    ['bytes=100-200', 100, 'unsatisfiable'],
    ['bytes=0-0', 0, 'unsatisfiable'],
    // bytes=a-
    ['bytes=0-', 100, { start: 0, end: 99 }],
    ['bytes=42-', 100, { start: 42, end: 99 }],
    ['bytes=99-', 100, { start: 99, end: 99 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=99999999999999999999999-', 100, 'unsatisfiable'],
    // bytes=-n
    ['bytes=-1', 100, { start: 99, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-100', 100, { start: 0, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=-5', 0, null], // nothing to select in an empty file: send it whole
    // Tolerated spelling.
    ['Bytes=1-2', 100, { start: 1, end: 2 }],
    ['bytes = 1 - 2 ', 100, { start: 1, end: 2 }],
    // Malformed or unsupported: ignore the header.
    ['bytes=5-4', 100, null],
    ['bytes=a-b', 100, null],
    ['bytes=1.5-2', 100, null],
    ['bytes=+1-2', 100, null],
    ['bytes=-', 100, null],
    ['bytes=', 100, null],
    ['bytes=12', 100, null],
    ['bytes=--5', 100, null],
    ['bytes=0-1,5-6', 100, null],
    ['items=0-1', 100, null],
    ['0-1', 100, null],
    ['bytes 0-1', 100, null],
  ];
  it.each(cases)('%j of %i bytes → %j', (header, size, expected) => {
    expect(parseRangeHeader(header, size)).toEqual(expected);
  });
});

describe('formatting', () => {
  it.each([
    [0, 0, 1, 'bytes 0-0/1'],
    [10, 19, 100, 'bytes 10-19/100'],
    [5, 9, null, 'bytes 5-9/*'],
  ] as const)('formatContentRange(%i, %i, %s) = %s', (start, end, size, text) => {
    expect(formatContentRange(start, end, size)).toBe(text);
  });

  it('formats the other headers', () => {
    expect(formatUnsatisfiedRange(100)).toBe('bytes */100');
    expect(formatRangeHeader(7)).toBe('bytes=7-');
    expect(formatRangeHeader(7, 9)).toBe('bytes=7-9');
    expect(rangeLength({ start: 7, end: 9 })).toBe(3);
  });

  it('round-trips through the parsers', () => {
    expect(parseContentRange(formatContentRange(10, 19, 100))).toEqual({
      start: 10,
      end: 19,
      size: 100,
    });
    expect(parseRangeHeader(formatRangeHeader(10, 19), 100)).toEqual({ start: 10, end: 19 });
  });
});

describe('parseContentRange', () => {
  const cases: Array<[string | null | undefined, ReturnType<typeof parseContentRange>]> = [
    ['bytes 0-9/10', { start: 0, end: 9, size: 10 }],
    ['bytes 10-19/100', { start: 10, end: 19, size: 100 }],
    ['BYTES 1-1/2', { start: 1, end: 1, size: 2 }],
    ['  bytes   3-4/*  ', { start: 3, end: 4, size: null }],
    ['bytes */100', { start: null, end: null, size: 100 }],
    ['bytes */0', { start: null, end: null, size: 0 }],
    [undefined, null],
    [null, null],
    ['', null],
    ['bytes */*', null],
    ['bytes 9-0/10', null], // end before start
    ['bytes 0-10/10', null], // end past the size
    ['bytes 0-9', null],
    ['bytes=0-9/10', null],
    ['bytes 0-9/ten', null],
    ['items 0-9/10', null],
    ['bytes -1-9/10', null],
  ];
  it.each(cases)('%j → %j', (header, expected) => {
    expect(parseContentRange(header)).toEqual(expected);
  });
});
