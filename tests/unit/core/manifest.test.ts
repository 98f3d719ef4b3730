// Table-driven tests for `parseManifest`: a valid manifest passes, and every kind of
// malformed input is refused with 'invalid-manifest' and the problem named.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import {
  isModelId,
  isSafeRelativePath,
  manifestSize,
  parseManifest,
} from '../../../src/core/manifest';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const HASH_C = 'c'.repeat(64);

// biome-ignore lint/suspicious/noExplicitAny: tests deliberately build malformed JSON.
type Json = any;

function validManifest(): Json {
  return {
    schema: 1,
    id: 'tiny-model',
    name: 'Tiny model',
    version: '1.0.0',
    framework: 'onnx',
    task: 'text-generation',
    license: 'MIT',
    description: 'A small model.',
    variants: [
      {
        backend: 'wasm',
        dtype: 'q8',
        files: ['config.json', 'onnx/model.onnx'],
        memoryBytes: 1000,
        requiredFeatures: [],
      },
    ],
    files: [
      {
        path: 'config.json',
        size: 10,
        sha256: HASH_A,
        chunks: [{ offset: 0, length: 10, sha256: HASH_A }],
      },
      {
        path: 'onnx/model.onnx',
        size: 25,
        sha256: HASH_B,
        chunks: [
          { offset: 0, length: 16, sha256: HASH_B },
          { offset: 16, length: 9, sha256: HASH_C },
        ],
      },
      { path: 'empty.txt', size: 0, sha256: HASH_C, chunks: [] },
    ],
  };
}

function problemsOf(json: unknown): string[] {
  try {
    parseManifest(json);
  } catch (error) {
    expect(AppError.is(error, 'invalid-manifest')).toBe(true);
    return (error as AppError).details.problems as string[];
  }
  throw new Error('parseManifest accepted a malformed manifest');
}

describe('parseManifest accepts', () => {
  it('a valid manifest, unchanged', () => {
    const json = validManifest();
    expect(parseManifest(json)).toEqual(json);
  });

  it('a manifest without a description, defaulting it to empty', () => {
    const json = validManifest();
    delete json.description;
    expect(parseManifest(json).description).toBe('');
  });

  it('JSON text round-tripped, and every framework, backend and dtype', () => {
    for (const framework of ['transformers', 'onnx', 'tflite', 'builtin']) {
      for (const [backend, dtype] of [
        ['wasm', 'fp32'],
        ['webgpu', 'fp16'],
        ['webnn', 'int8'],
        ['webgpu', 'q4f16'],
        ['wasm', 'q4'],
      ]) {
        const json = validManifest();
        Object.assign(json, { framework });
        Object.assign(json.variants[0], { backend, dtype, requiredFeatures: ['shader-f16'] });
        expect(parseManifest(JSON.parse(JSON.stringify(json))).framework).toBe(framework);
      }
    }
  });

  it('counts the total size', () => {
    expect(manifestSize(validManifest())).toBe(35);
  });
});

// Each mutator edits a valid manifest in place; what it returns is ignored.
type Case = [string, (m: Json) => unknown, RegExp];
const f = (m: Json, i: number) => m.files[i];
const v0 = (m: Json) => m.variants[0];

const cases: Case[] = [
  ['wrong schema', (m) => Object.assign(m, { schema: 2 }), /schema must be 1/],
  ['missing schema', (m) => delete m.schema, /schema must be 1/],
  ['upper-case id', (m) => Object.assign(m, { id: 'Tiny' }), /id must be/],
  ['id with a slash', (m) => Object.assign(m, { id: 'a/b' }), /id must be/],
  ['id starting with a dot', (m) => Object.assign(m, { id: '.hidden' }), /id must be/],
  ['overlong id', (m) => Object.assign(m, { id: 'a'.repeat(65) }), /id must be/],
  ['numeric id', (m) => Object.assign(m, { id: 7 }), /id must be/],
  ['non-semver version', (m) => Object.assign(m, { version: '1.0' }), /version must be semver/],
  ['numeric version', (m) => Object.assign(m, { version: 1 }), /version must be semver/],
  ['empty name', (m) => Object.assign(m, { name: '' }), /name must be a non-empty string/],
  ['missing task', (m) => delete m.task, /task must be a non-empty string/],
  ['numeric license', (m) => Object.assign(m, { license: 3 }), /license must be a non-empty/],
  ['non-string description', (m) => Object.assign(m, { description: null }), /description/],
  ['unknown framework', (m) => Object.assign(m, { framework: 'torch' }), /unknown framework/],
  ['files not an array', (m) => Object.assign(m, { files: {} }), /files must be an array/],
  ['file not an object', (m) => m.files.push('x.bin'), /files\[3\] is not an object/],
  ['absolute path', (m) => Object.assign(f(m, 0), { path: '/etc/passwd' }), /files\[0\]\.path/],
  ['parent path', (m) => Object.assign(f(m, 0), { path: '../x' }), /files\[0\]\.path/],
  ['inner parent path', (m) => Object.assign(f(m, 0), { path: 'a/../../x' }), /files\[0\]\.path/],
  ['dot segment', (m) => Object.assign(f(m, 0), { path: './x' }), /files\[0\]\.path/],
  ['empty segment', (m) => Object.assign(f(m, 0), { path: 'a//b' }), /files\[0\]\.path/],
  ['backslash', (m) => Object.assign(f(m, 0), { path: 'a\\b' }), /files\[0\]\.path/],
  ['NUL in path', (m) => Object.assign(f(m, 0), { path: 'a\0b' }), /files\[0\]\.path/],
  ['empty path', (m) => Object.assign(f(m, 0), { path: '' }), /files\[0\]\.path/],
  ['duplicate path', (m) => Object.assign(f(m, 2), { path: 'config.json' }), /listed twice/],
  ['negative size', (m) => Object.assign(f(m, 2), { size: -1 }), /files\[2\]\.size/],
  ['fractional size', (m) => Object.assign(f(m, 2), { size: 0.5 }), /files\[2\]\.size/],
  ['string size', (m) => Object.assign(f(m, 2), { size: '0' }), /files\[2\]\.size/],
  ['upper-case hash', (m) => Object.assign(f(m, 0), { sha256: 'A'.repeat(64) }), /sha256/],
  ['short hash', (m) => Object.assign(f(m, 0), { sha256: 'a'.repeat(63) }), /sha256/],
  ['chunks missing', (m) => delete f(m, 0).chunks, /chunks must be an array/],
  ['chunk not an object', (m) => Object.assign(f(m, 0), { chunks: [1] }), /chunks\[0\] must/],
  ['empty chunk', (m) => Object.assign(f(m, 0).chunks[0], { length: 0 }), /positive length/],
  ['chunk bad hash', (m) => Object.assign(f(m, 1).chunks[1], { sha256: 'z' }), /chunks\[1\]\.sha/],
  ['chunk gap', (m) => Object.assign(f(m, 1).chunks[1], { offset: 17 }), /does not start/],
  ['chunk overlap', (m) => Object.assign(f(m, 1).chunks[1], { offset: 15 }), /does not start/],
  ['first chunk late', (m) => Object.assign(f(m, 0).chunks[0], { offset: 1 }), /does not start/],
  ['chunks too short', (m) => Object.assign(f(m, 1).chunks[1], { length: 8 }), /do not cover/],
  ['chunks too long', (m) => Object.assign(f(m, 1).chunks[1], { length: 10 }), /do not cover/],
  ['no chunks for bytes', (m) => Object.assign(f(m, 0), { chunks: [] }), /do not cover/],
  ['variants not an array', (m) => Object.assign(m, { variants: null }), /variants must be/],
  ['no variants', (m) => Object.assign(m, { variants: [] }), /at least one variant/],
  ['variant not an object', (m) => m.variants.push(3), /variants\[1\] is not an object/],
  ['unknown backend', (m) => Object.assign(v0(m), { backend: 'cuda' }), /backend is unknown/],
  ['unknown dtype', (m) => Object.assign(v0(m), { dtype: 'bf16' }), /dtype is unknown/],
  ['negative memory', (m) => Object.assign(v0(m), { memoryBytes: -5 }), /memoryBytes/],
  ['features not strings', (m) => Object.assign(v0(m), { requiredFeatures: [1] }), /Features/],
  ['features missing', (m) => delete v0(m).requiredFeatures, /requiredFeatures/],
  ['variant files missing', (m) => delete v0(m).files, /variants\[0\]\.files must be/],
  ['variant names unknown file', (m) => v0(m).files.push('nope.bin'), /not in files/],
];

describe('parseManifest refuses', () => {
  it.each([null, [], 'manifest', 42])('%j', (json) => {
    expect(problemsOf(json)).toContain('manifest is not an object');
  });

  it.each(cases)('%s', (_name, mutate, problem) => {
    const json = validManifest();
    mutate(json);
    const problems = problemsOf(json);
    expect(problems.some((p) => problem.test(p))).toBe(true);
  });

  it('lists every problem at once', () => {
    const json = validManifest();
    Object.assign(json, { schema: 0, id: 'BAD', version: 'x' });
    json.variants[0].dtype = 'huge';
    expect(problemsOf(json)).toHaveLength(4);
  });
});

describe('helpers', () => {
  it.each([
    ['a', true],
    ['tiny-model.v2_q8', true],
    ['0', true],
    ['', false],
    ['-a', false],
    ['A', false],
    [null, false],
  ])('isModelId(%j) = %s', (id, ok) => {
    expect(isModelId(id)).toBe(ok);
  });

  it.each([
    ['a', true],
    ['a/b.onnx', true],
    ['a b/c', true],
    ['a/', false],
    ['a\nb', false],
    ['a\u007fb', false],
  ])('isSafeRelativePath(%j) = %s', (path, ok) => {
    expect(isSafeRelativePath(path)).toBe(ok);
  });
});
