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

  it('a Hub file: no chunks, checked whole by SHA-256 or by its git blob id', () => {
    const m = validManifest();
    m.files[1].chunks = [];
    m.files[0] = { path: 'config.json', size: 10, gitBlobSha1: 'b'.repeat(40), chunks: [] };
    const parsed = parseManifest(m);
    expect(parsed.files[1]?.chunks).toEqual([]);
    expect(parsed.files[0]?.gitBlobSha1).toBe('b'.repeat(40));
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
  ['missing schema', (m) => delete m.schema, /^schema is missing/],
  ['upper-case id', (m) => Object.assign(m, { id: 'Tiny' }), /id must be/],
  ['id with a slash', (m) => Object.assign(m, { id: 'a/b' }), /id must be/],
  ['id starting with a dot', (m) => Object.assign(m, { id: '.hidden' }), /id must be/],
  ['overlong id', (m) => Object.assign(m, { id: 'a'.repeat(65) }), /id must be/],
  ['numeric id', (m) => Object.assign(m, { id: 7 }), /id must be/],
  ['non-semver version', (m) => Object.assign(m, { version: '1.0' }), /version must be semver/],
  ['numeric version', (m) => Object.assign(m, { version: 1 }), /version must be semver/],
  ['empty name', (m) => Object.assign(m, { name: '' }), /name must be a non-empty string/],
  ['missing task', (m) => delete m.task, /^task is missing/],
  ['numeric license', (m) => Object.assign(m, { license: 3 }), /license must be a non-empty/],
  ['non-string description', (m) => Object.assign(m, { description: null }), /description/],
  [
    'unknown framework',
    (m) => Object.assign(m, { framework: 'torch' }),
    /^framework must be one of/,
  ],
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
  [
    'duplicate path',
    (m) => Object.assign(f(m, 2), { path: 'config.json' }),
    /files\[2\]\.path names the same file as files\[0\]/,
  ],
  ['negative size', (m) => Object.assign(f(m, 2), { size: -1 }), /files\[2\]\.size/],
  ['fractional size', (m) => Object.assign(f(m, 2), { size: 0.5 }), /files\[2\]\.size/],
  ['string size', (m) => Object.assign(f(m, 2), { size: '0' }), /files\[2\]\.size/],
  ['upper-case hash', (m) => Object.assign(f(m, 0), { sha256: 'A'.repeat(64) }), /sha256/],
  ['short hash', (m) => Object.assign(f(m, 0), { sha256: 'a'.repeat(63) }), /sha256/],
  ['chunks missing', (m) => delete f(m, 0).chunks, /files\[0\]\.chunks is missing/],
  ['chunk not an object', (m) => Object.assign(f(m, 0), { chunks: [1] }), /chunks\[0\] must/],
  [
    'empty chunk',
    (m) => Object.assign(f(m, 0).chunks[0], { length: 0 }),
    /chunks\[0\]\.length must be a positive integer/,
  ],
  ['chunk bad hash', (m) => Object.assign(f(m, 1).chunks[1], { sha256: 'z' }), /chunks\[1\]\.sha/],
  ['chunk gap', (m) => Object.assign(f(m, 1).chunks[1], { offset: 17 }), /does not start/],
  ['chunk overlap', (m) => Object.assign(f(m, 1).chunks[1], { offset: 15 }), /does not start/],
  ['first chunk late', (m) => Object.assign(f(m, 0).chunks[0], { offset: 1 }), /does not start/],
  ['chunks too short', (m) => Object.assign(f(m, 1).chunks[1], { length: 8 }), /do not cover/],
  ['chunks too long', (m) => Object.assign(f(m, 1).chunks[1], { length: 10 }), /do not cover/],
  ['no whole-file hash', (m) => delete f(m, 2).sha256, /files\[2\] needs sha256 or gitBlobSha1/],
  [
    'short git blob id',
    (m) => Object.assign(f(m, 2), { gitBlobSha1: 'a'.repeat(39) }),
    /files\[2\]\.gitBlobSha1 must be a git blob id/,
  ],
  [
    'chunks under a git blob id',
    (m) => Object.assign(f(m, 0), { sha256: undefined, gitBlobSha1: 'a'.repeat(40) }),
    /files\[0\]\.chunks need the file's sha256/,
  ],
  ['variants not an array', (m) => Object.assign(m, { variants: null }), /variants must be/],
  ['no variants', (m) => Object.assign(m, { variants: [] }), /at least one variant/],
  ['variant not an object', (m) => m.variants.push(3), /variants\[1\] is not an object/],
  ['unknown backend', (m) => Object.assign(v0(m), { backend: 'cuda' }), /backend must be one of/],
  ['unknown dtype', (m) => Object.assign(v0(m), { dtype: 'bf16' }), /dtype must be one of/],
  ['negative memory', (m) => Object.assign(v0(m), { memoryBytes: -5 }), /memoryBytes/],
  ['features not strings', (m) => Object.assign(v0(m), { requiredFeatures: [1] }), /Features/],
  ['features missing', (m) => delete v0(m).requiredFeatures, /requiredFeatures/],
  ['variant files missing', (m) => delete v0(m).files, /variants\[0\]\.files is missing/],
  ['variant names unknown file', (m) => v0(m).files.push('nope.bin'), /not in files/],
  ['variant lists a file twice', (m) => v0(m).files.push('config.json'), /is listed twice/],
  // Strict: a key the schema does not know is refused wherever it is.
  ['unknown top-level key', (m) => Object.assign(m, { extra: 1 }), /^extra is not a known field/],
  ['unknown file key', (m) => Object.assign(f(m, 0), { mode: 7 }), /files\[0\]\.mode is not a/],
  ['unknown chunk key', (m) => Object.assign(f(m, 0).chunks[0], { x: 1 }), /chunks\[0\]\.x is not/],
  ['unknown variant key', (m) => Object.assign(v0(m), { dtypes: [] }), /dtypes is not a known/],
  // Bounded.
  [
    'chunk over 64 MiB',
    (m) =>
      Object.assign(f(m, 0), {
        size: 2 ** 30,
        chunks: [{ offset: 0, length: 2 ** 30, sha256: HASH_A }],
      }),
    /chunks\[0\]\.length must be at most 67108864 bytes/,
  ],
  ['unsafe size', (m) => Object.assign(f(m, 2), { size: 2 ** 53 }), /files\[2\]\.size must be/],
  ['long name', (m) => Object.assign(m, { name: 'n'.repeat(201) }), /^name must be at most 200/],
  [
    'long description',
    (m) => Object.assign(m, { description: 'd'.repeat(10_001) }),
    /description must be at most/,
  ],
  [
    'long path',
    (m) => Object.assign(f(m, 0), { path: `${'a/'.repeat(300)}x` }),
    /path must be at most 512/,
  ],
  [
    'deep path',
    (m) => Object.assign(f(m, 0), { path: `${'a/'.repeat(16)}x` }),
    /at most 16 segments/,
  ],
  [
    'long segment',
    (m) => Object.assign(f(m, 0), { path: 'a'.repeat(256) }),
    /segments of at most 255/,
  ],
  [
    'too many variants',
    (m) => m.variants.push(...Array(32).fill(v0(m))),
    /variants must list at most 32/,
  ],
  [
    'too many features',
    (m) => Object.assign(v0(m), { requiredFeatures: Array(33).fill('x') }),
    /at most 32 features/,
  ],
  [
    'long feature',
    (m) => Object.assign(v0(m), { requiredFeatures: ['f'.repeat(65)] }),
    /requiredFeatures\[0\] must be at most 64/,
  ],
  // Paths as the URLs they become.
  [
    'encoded parent',
    (m) => Object.assign(f(m, 0), { path: '%2e%2e/%2e%2e/x.bin' }),
    /\. or \.\. segments once %-decoded/,
  ],
  ['mixed-case encoded dot', (m) => Object.assign(f(m, 0), { path: 'a/%2E/x' }), /once %-decoded/],
  [
    'leading space',
    (m) => Object.assign(f(m, 0), { path: ' x.bin' }),
    /starting or ending in a space/,
  ],
  [
    'trailing space',
    (m) => Object.assign(f(m, 0), { path: 'a /x.bin' }),
    /starting or ending in a space/,
  ],
  [
    'encoded space at start',
    (m) => Object.assign(f(m, 0), { path: '%20x.bin' }),
    /space once %-decoded/,
  ],
  [
    'scheme-relative form',
    (m) => Object.assign(f(m, 0), { path: 'https:evil.example/x.bin' }),
    /\\, #, \? or :/,
  ],
  [
    'protocol-relative',
    (m) => Object.assign(f(m, 0), { path: '//evil.example/x.bin' }),
    /must be relative/,
  ],
  ['query', (m) => Object.assign(f(m, 0), { path: 'x.bin?a=1' }), /\\, #, \? or :/],
  ['fragment', (m) => Object.assign(f(m, 0), { path: 'x.bin#a' }), /\\, #, \? or :/],
  ['encoded slash', (m) => Object.assign(f(m, 0), { path: 'a%2fb' }), /must not encode \/ as %2F/],
  ['encoded backslash', (m) => Object.assign(f(m, 0), { path: 'a%5Cb' }), /once %-decoded/],
  ['encoded NUL', (m) => Object.assign(f(m, 0), { path: 'a%00b' }), /control characters once/],
  ['malformed escape', (m) => Object.assign(f(m, 0), { path: 'a%zzb' }), /not a %XX escape/],
  ['escape that is not UTF-8', (m) => Object.assign(f(m, 0), { path: 'a%ffb' }), /not UTF-8/],
  ['C1 control', (m) => Object.assign(f(m, 0), { path: 'a\u0085b' }), /control characters/],
  ['not NFC', (m) => Object.assign(f(m, 0), { path: 'cafe\u0301.json' }), /NFC/],
  // Collisions a server or a file system could not tell apart.
  [
    'paths differing by case',
    (m) => Object.assign(f(m, 2), { path: 'Config.JSON' }),
    /files\[2\]\.path names the same file as files\[0\]/,
  ],
  [
    'paths differing by escape',
    (m) => Object.assign(f(m, 2), { path: 'config%2Ejson' }),
    /files\[2\]\.path names the same file/,
  ],
  [
    'file and folder of one name',
    (m) => Object.assign(f(m, 2), { path: 'config.json/x' }),
    /files\[2\]\.path uses files\[0\]\.path as a folder/,
  ],
  [
    'folder, then a file of its name',
    (m) => Object.assign(f(m, 2), { path: 'ONNX' }),
    /files\[2\]\.path is a folder of files\[1\]/,
  ],
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

describe('parseManifest stays bounded', () => {
  it('refuses unknown keys nested 100,000 deep at once, without walking them', () => {
    const json = validManifest();
    let deep: Json = {};
    json.files[0].extra = deep;
    for (let i = 0; i < 100_000; i++) deep = deep.x = {};
    const started = performance.now();
    expect(problemsOf(json)).toEqual(['files[0].extra is not a known field']);
    // Not a timing assertion of speed, a bound against walking the chain (one ms per level).
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('reports at most 50 problems, with a count of the rest', () => {
    const json = validManifest();
    for (let i = 0; i < 1_000; i++)
      json.files.push({ path: `f${i}`, size: 0, sha256: 'x', chunks: [] });
    const problems = problemsOf(json);
    expect(problems).toHaveLength(51);
    expect(problems[0]).toBe('files[3].sha256 must be a SHA-256: 64 lowercase hex digits');
    expect(problems.at(-1)).toBe('… and more (1000 issues in all)');
  });
});

describe('parseManifest with its URL', () => {
  const url = 'https://models.example/tiny/1.0.0/manifest.json';

  it('accepts files under the manifest folder', () => {
    expect(parseManifest(validManifest(), { url }).id).toBe('tiny-model');
  });

  it('names the URL in the error', () => {
    const json = validManifest();
    json.files[0].path = '../x';
    expect(() => parseManifest(json, { url })).toThrow(
      expect.objectContaining({
        code: 'invalid-manifest',
        details: expect.objectContaining({ url }),
      }),
    );
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
