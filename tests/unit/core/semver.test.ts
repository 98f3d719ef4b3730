// Table-driven tests for semantic version parsing and precedence (semver.org §9–11).

import { describe, expect, it } from 'vitest';
import { compareSemver, isSemver, parseSemver } from '../../../src/core/semver';

describe('parseSemver', () => {
  it.each([
    ['0.0.0', { major: 0, minor: 0, patch: 0, prerelease: [] }],
    ['1.2.3', { major: 1, minor: 2, patch: 3, prerelease: [] }],
    ['10.20.30', { major: 10, minor: 20, patch: 30, prerelease: [] }],
    ['1.0.0-alpha', { major: 1, minor: 0, patch: 0, prerelease: ['alpha'] }],
    ['1.0.0-alpha.1', { major: 1, minor: 0, patch: 0, prerelease: ['alpha', '1'] }],
    ['1.0.0-0.3.7', { major: 1, minor: 0, patch: 0, prerelease: ['0', '3', '7'] }],
    ['1.0.0-x-y-z.--', { major: 1, minor: 0, patch: 0, prerelease: ['x-y-z', '--'] }],
    ['1.0.0-0a', { major: 1, minor: 0, patch: 0, prerelease: ['0a'] }],
    ['1.0.0+build.001', { major: 1, minor: 0, patch: 0, prerelease: [] }],
    ['1.0.0-rc.1+sha.5114f85', { major: 1, minor: 0, patch: 0, prerelease: ['rc', '1'] }],
  ])('%s', (text, expected) => {
    expect(parseSemver(text)).toEqual(expected);
    expect(isSemver(text)).toBe(true);
  });

  it.each([
    '',
    '1',
    '1.2',
    '1.2.3.4',
    'v1.2.3',
    '01.2.3',
    '1.02.3',
    '1.2.03',
    '1.2.3-',
    '1.2.3-01', // numeric pre-release identifiers may not have leading zeros
    '1.2.3-alpha..1',
    '1.2.3+',
    '1.2.3-a_b',
    ' 1.2.3',
    '1.2.3 ',
    '-1.2.3',
    '99999999999999999999.0.0', // past 2^53
  ])('rejects %j', (text) => {
    expect(parseSemver(text)).toBeNull();
    expect(isSemver(text)).toBe(false);
  });
});

describe('compareSemver', () => {
  // Each version is lower than the next (the example chain from semver.org, and more).
  const ascending = [
    '0.0.1',
    '0.1.0',
    '0.9.9',
    '0.10.0',
    '1.0.0-0',
    '1.0.0-1',
    '1.0.0-2',
    '1.0.0-10',
    '1.0.0-18446744073709551615',
    '1.0.0-18446744073709551616',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.1.0',
    '2.0.0',
    '10.0.0',
  ];
  const pairs = ascending.slice(1).map((higher, i) => [ascending[i] as string, higher]);

  it.each(pairs)('%s < %s', (lower, higher) => {
    expect(compareSemver(lower, higher)).toBeLessThan(0);
    expect(compareSemver(higher, lower)).toBeGreaterThan(0);
  });

  it('sorts a shuffled list into precedence order', () => {
    // Stepping by 7 (coprime with the length) visits every index once, out of order.
    const shuffled = ascending.map((_, i) => ascending[(i * 7) % ascending.length] as string);
    expect(new Set(shuffled).size).toBe(ascending.length);
    expect(shuffled.sort(compareSemver)).toEqual(ascending);
  });

  it.each([
    ['1.2.3', '1.2.3'],
    ['1.2.3+a', '1.2.3+b'],
    ['1.0.0-rc.1+x', '1.0.0-rc.1'],
  ])('%s == %s (build metadata ignored)', (a, b) => {
    expect(compareSemver(a, b)).toBe(0);
  });

  it('throws on something that is not a version', () => {
    expect(() => compareSemver('1.0', '1.0.0')).toThrow(TypeError);
    expect(() => compareSemver('1.0.0', 'latest')).toThrow(/latest/);
  });
});
