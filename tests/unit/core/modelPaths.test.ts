// Table-driven tests for the path rules: each path as a storage name and as
// the URL it becomes, and collisions across a list of paths.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import {
  confinedUrl,
  pathCollisions,
  pathProblem,
  resolveModelFileUrl,
} from '../../../src/core/modelPaths';

describe('pathProblem', () => {
  it.each([
    'config.json',
    'onnx/model_q4f16.onnx',
    'a b/c d.txt',
    'caf\u00e9.json',
    '模型/权重.bin',
    'a%20b.bin',
    `${'a/'.repeat(15)}x`,
    'a'.repeat(255),
  ])('accepts %j', (path) => {
    expect(pathProblem(path)).toBeNull();
  });

  it.each<[unknown, RegExp]>([
    [7, /must be a string/],
    ['', /must not be empty/],
    ['/abs', /relative/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['./a', /\. or \.\./],
    ['a/..', /\. or \.\./],
    ['%2e%2e/x', /once %-decoded/],
    ['.%2E/x', /once %-decoded/],
    ['a\\b', /\\, #, \? or :/],
    ['a#b', /\\, #, \? or :/],
    ['a?b', /\\, #, \? or :/],
    ['https:evil.example/x', /\\, #, \? or :/],
    ['c:/x', /\\, #, \? or :/],
    ['a%2Fb', /%2F/],
    ['a%23b', /once %-decoded/],
    ['a%3fb', /once %-decoded/],
    ['%', /%XX/],
    ['a%4', /%XX/],
    ['%c0%af', /not UTF-8/],
    ['a\tb', /control/],
    ['a\u007fb', /control/],
    ['a%7Fb', /control characters once/],
    [' a', /space/],
    ['a\u00a0', /space/],
    ['a/%20', /space once %-decoded/],
    ['e\u0301', /NFC/],
    ['e%CC%81', /NFC once %-decoded/],
    ['a'.repeat(256), /255/],
    [`${'a/'.repeat(16)}x`, /16 segments/],
    ['a'.repeat(513), /512/],
  ])('refuses %j', (path, problem) => {
    expect(pathProblem(path)).toMatch(problem);
  });
});

describe('resolveModelFileUrl', () => {
  const manifest = 'https://models.example/tiny/1.0.0/manifest.json';

  it.each([
    ['config.json', 'https://models.example/tiny/1.0.0/config.json'],
    ['onnx/model.onnx', 'https://models.example/tiny/1.0.0/onnx/model.onnx'],
    ['a b.txt', 'https://models.example/tiny/1.0.0/a%20b.txt'],
    ['caf\u00e9', 'https://models.example/tiny/1.0.0/caf%C3%A9'],
  ])('resolves %j under the manifest folder', (path, url) => {
    expect(resolveModelFileUrl(manifest, path)).toBe(url);
  });

  it.each(['../x.bin', '%2e%2e/%2e%2e/x.bin', 'https:evil.example/x.bin', '//evil/x', 'x?y'])(
    'refuses %j with invalid-manifest',
    (path) => {
      expect(() => resolveModelFileUrl(manifest, path)).toThrow(
        expect.objectContaining({ code: 'invalid-manifest' }),
      );
      try {
        resolveModelFileUrl(manifest, path);
      } catch (error) {
        expect(AppError.is(error, 'invalid-manifest')).toBe(true);
        expect((error as AppError).details).toMatchObject({ url: manifest, path });
      }
    },
  );

  it('refuses a scheme-relative path against an http manifest, where the URL parser would leave the origin', () => {
    // The URL parser itself would go to evil.example: the rule on ':' is what stops it.
    expect(new URL('https:evil.example/x', 'http://models.example/m/manifest.json').host).toBe(
      'evil.example',
    );
    expect(confinedUrl('http://models.example/m/manifest.json', 'https:evil.example/x')).toEqual({
      url: null,
      problem: 'must not contain \\, #, ? or :',
    });
  });

  it('refuses a manifest URL that is not one', () => {
    expect(confinedUrl('not a url', 'x')).toEqual({
      url: null,
      problem: 'does not resolve to a URL',
    });
  });

  it('refuses an opaque origin', () => {
    expect(confinedUrl('data:text/plain,x', 'x').problem).not.toBeNull();
  });
});

describe('pathCollisions', () => {
  it.each<[string, string[], Array<{ index: number; problem: RegExp }>]>([
    ['distinct paths', ['a', 'b/c', 'b/d'], []],
    ['the same path twice', ['a', 'a'], [{ index: 1, problem: /same file as files\[0\]/ }]],
    ['case only', ['Model.onnx', 'model.ONNX'], [{ index: 1, problem: /same file/ }]],
    ['NFC vs NFD escape', ['caf\u00e9', 'cafe%CC%81'], [{ index: 1, problem: /same file/ }]],
    ['escape vs raw', ['a b', 'a%20b'], [{ index: 1, problem: /same file/ }]],
    [
      'file then folder',
      ['a', 'a/b'],
      [{ index: 1, problem: /uses files\[0\]\.path as a folder/ }],
    ],
    ['folder then file', ['a/b/c', 'A/B'], [{ index: 1, problem: /is a folder of files\[0\]/ }]],
    ['sibling prefix is fine', ['ab', 'a/b'], []],
  ])('%s', (_name, paths, expected) => {
    const problems = pathCollisions(paths);
    expect(problems).toHaveLength(expected.length);
    for (const [i, e] of expected.entries()) {
      expect(problems[i]?.index).toBe(e.index);
      expect(problems[i]?.problem).toMatch(e.problem);
    }
  });
});
