// Fuzzes `parseManifest` with 2,400 seeded mutations of valid manifests (six
// families of 400): it only ever throws its typed error, and every manifest
// it accepts is safe to download and to store. `FUZZ_SEED=<n>` explores others.

import { describe, expect, it } from 'vitest';
import { type ModelManifest, parseManifest } from '../../../src/core/manifest';
import {
  FUZZ_SEED,
  HOSTILE_PATHS,
  type Json,
  numberEdit,
  type Random,
  runFuzzFamily,
  stringEdit,
  structuralEdit,
  unicodeVariant,
} from './fuzzMutations';

const PER_FAMILY = 400;
const MAX_CHUNK = 64 * 1024 * 1024;
const HASH = (r: Random) =>
  Array.from({ length: 64 }, () => '0123456789abcdef'[r.int(16)]).join('');
const NAMES = [
  'config.json',
  'tokenizer.json',
  'model.onnx',
  'weights.bin',
  'caf\u00e9.txt',
  'a b',
];
const FOLDERS = ['', 'onnx/', 'onnx/q4/', 'tokenizer/'];

/** A valid manifest of 1–6 files in a few folders, with real tiling chunks. */
function validManifest(r: Random): Json {
  const files: Json[] = [];
  const used = new Set<string>();
  for (let i = 0, n = 1 + r.int(6); i < n; i++) {
    const path = `${r.pick(FOLDERS)}${r.pick(NAMES)}`;
    if (used.has(path.toLowerCase()) || used.has('onnx') || used.has('tokenizer')) continue;
    used.add(path.toLowerCase());
    const chunks: Json[] = [];
    let offset = 0;
    for (let j = 0, c = r.int(4); j < c; j++) {
      const length = 1 + r.int(r.chance(0.2) ? MAX_CHUNK : 1000);
      chunks.push({ offset, length, sha256: HASH(r) });
      offset += length;
    }
    files.push({ path, size: offset, sha256: HASH(r), chunks });
  }
  return {
    schema: 1,
    id: r.pick(['tiny', 'stories260k', 'a.b_c-d']),
    name: 'A model',
    version: r.pick(['1.0.0', '0.1.0-rc.1', '2.3.4+build.5']),
    framework: r.pick(['transformers', 'onnx', 'tflite', 'builtin']),
    task: 'text-generation',
    license: 'MIT',
    description: r.pick(['', 'A small model.']),
    variants: [
      {
        backend: r.pick(['wasm', 'webgpu', 'webnn']),
        dtype: r.pick(['fp32', 'q4']),
        files: files.map((f) => f.path).filter(() => r.chance(0.7)),
        memoryBytes: r.int(1e9),
        requiredFeatures: r.chance(0.3) ? ['shader-f16'] : [],
      },
    ],
    files,
  };
}

const BASES = [
  'https://models.example/tiny/1.0.0/manifest.json',
  'http://127.0.0.1:8081/m/1/manifest.json',
];

function collisionKey(path: string): string {
  return decodeURIComponent(path).normalize('NFC').toLowerCase();
}

/**
 * What every accepted manifest must satisfy, checked independently of the
 * validator's own helpers: each file URL stays under the manifest's folder on
 * its origin (for an https and an http manifest URL), chunks are bounded and
 * tile their file, no two paths name one file or a file and a folder, and the
 * record is storable (structured clone) and printable (JSON).
 */
function assertSafe(m: ModelManifest, what: string): void {
  for (const base of BASES) {
    const folder = new URL('./', base);
    for (const f of m.files) {
      const url = new URL(f.path, base);
      expect(url.origin, what).toBe(folder.origin);
      expect(url.pathname.startsWith(folder.pathname), what).toBe(true);
      expect(url.search + url.hash, what).toBe('');
      const segments = decodeURIComponent(url.pathname).split('/');
      expect(segments.includes('..') || segments.includes('.'), what).toBe(false);
    }
  }
  for (const f of m.files) {
    let offset = 0;
    for (const c of f.chunks) {
      expect(c.offset, what).toBe(offset);
      expect(c.length > 0 && c.length <= MAX_CHUNK, what).toBe(true);
      offset += c.length;
    }
    // No chunks: the whole-file hash alone checks the file, and there must be one.
    if (f.chunks.length > 0) expect(offset, what).toBe(f.size);
    expect(f.sha256 !== undefined || f.gitBlobSha1 !== undefined, what).toBe(true);
  }
  const keys = m.files.map((f) => collisionKey(f.path));
  expect(new Set(keys).size, what).toBe(keys.length);
  for (const a of keys) for (const b of keys) expect(b.startsWith(`${a}/`), what).toBe(false);
  const paths = new Set(m.files.map((f) => f.path));
  for (const v of m.variants) for (const p of v.files) expect(paths.has(p), what).toBe(true);
  expect(() => structuredClone(m), what).not.toThrow();
  expect(() => JSON.stringify(m), what).not.toThrow();
}

/** Runs one family; returns how many mutants were accepted. */
function runFamily(family: number, mutate: (r: Random, doc: Json) => string): number {
  return runFuzzFamily({
    seed: FUZZ_SEED + family,
    count: PER_FAMILY,
    valid: validManifest,
    mutate,
    parse: (doc, r) => parseManifest(doc, { url: r.pick(BASES) }),
    code: 'invalid-manifest',
    assertSafe,
  });
}

const anyFile = (doc: Json): Json | undefined =>
  doc.files[Math.floor(doc.files.length / 2)] ?? doc.files[0];

describe(`parseManifest fuzz (${PER_FAMILY} mutants per family, FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('structural edits: dropped, added, retyped, duplicated, grown and deeply nested values', () => {
    runFamily(1, structuralEdit);
  });

  it('number edits: huge, negative, fractional, NaN, numeric strings', () => {
    runFamily(2, numberEdit);
  });

  it('string edits: case, normal forms, escapes, look-alikes and long strings', () => {
    runFamily(3, stringEdit);
  });

  it('hostile paths: URL escapes, schemes, spaces, controls and overlong names', () => {
    const accepted = runFamily(4, (r, doc) => {
      const file = anyFile(doc);
      const path = r.pick(HOSTILE_PATHS);
      const placed = r.chance(0.5) ? path : `onnx/${path}`;
      if (file) file.path = placed;
      if (r.chance(0.5)) doc.variants[0].files.push(placed);
      return `path ${JSON.stringify(placed.slice(0, 40))}`;
    });
    // Only the few hostile forms that stay a plain name under a folder may pass.
    expect(accepted).toBeLessThan(PER_FAMILY / 4);
  });

  it('near-duplicate paths: case, NFC, escapes, and a file used as a folder', () => {
    runFamily(5, (r, doc) => {
      const source = doc.files[r.int(doc.files.length)];
      if (!source) return 'no file';
      const path: string = source.path;
      const twin = r.chance(0.3) ? `${path}/inner.bin` : unicodeVariant(r, path);
      doc.files.push({ path: twin, size: 0, sha256: 'a'.repeat(64), chunks: [] });
      return `twin ${JSON.stringify(twin)}`;
    });
  });

  it('chunk edits: gaps, overlaps, oversized, merged and split chunks; and unedited manifests pass', () => {
    const accepted = runFamily(6, (r, doc) => {
      const file = doc.files.find((f: Json) => f.chunks.length > 0);
      if (!file || r.chance(0.2)) return 'unedited';
      const c = file.chunks[r.int(file.chunks.length)];
      const edit = r.int(5);
      if (edit === 0) c.offset += 1;
      else if (edit === 1) c.length = MAX_CHUNK + 1;
      else if (edit === 2) file.size += 1;
      else if (edit === 3) c.length += 1;
      else {
        // Two chunks of 2 GiB: a buffer per connection of that size.
        file.chunks = [
          { offset: 0, length: 2 ** 31, sha256: c.sha256 },
          { offset: 2 ** 31, length: 2 ** 31, sha256: c.sha256 },
        ];
        file.size = 2 ** 32;
      }
      return `chunk edit ${edit}`;
    });
    // The unedited fifth passes: the invariants above were checked on real manifests.
    expect(accepted).toBeGreaterThan(0);
  });
});
