// Fuzzes `parseCatalog` with 2,800 seeded mutations of valid catalogs (seven
// families of 400): it only ever throws its typed error, every catalog it
// accepts points only under its own folder, and every Hub entry it accepts
// names a plain `owner/name` repo. `FUZZ_SEED=<n>` explores others.

import { describe, expect, it } from 'vitest';
import { type Catalog, parseCatalog } from '../../../src/core/catalog';
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
const IDS = ['tiny', 'stories260k', 'a.b_c-d', 'phi-3', 'q', 'model9'];
const REPOS = ['HuggingFaceTB/SmolLM2-135M-Instruct', 'onnx-community/Qwen3-0.6B-ONNX', 'a/b'];

/** A valid catalog of 1–6 models, each at `<id>/<version>/manifest.json` or on the Hub. */
function validCatalog(r: Random): Json {
  const ids = IDS.filter((_, i) => i === 0 || r.chance(0.6));
  return {
    schema: 1,
    models: ids.map((id) => {
      if (id !== 'tiny' && r.chance(0.3)) {
        return {
          id,
          name: `Model ${id}`,
          framework: 'transformers',
          task: 'text-generation',
          description: r.pick(['', 'A model.']),
          hub: { repo: r.pick(REPOS), revision: r.pick(['main', 'v1.0', 'a'.repeat(40)]) },
        };
      }
      const version = r.pick(['1.0.0', '0.1.0-rc.1', '10.2.3']);
      return {
        id,
        name: `Model ${id}`,
        version,
        framework: r.pick(['transformers', 'onnx', 'tflite', 'builtin']),
        task: 'text-generation',
        description: r.pick(['', 'A model.']),
        size: r.int(2 ** 40),
        manifest: `${id}/${version}/manifest.json`,
      };
    }),
  };
}

const BASES = ['https://models.example/hub/catalog.json', 'http://127.0.0.1:8081/catalog.json'];

/** Independent of the validator: every manifest URL stays under the catalog's folder; ids are unique. */
function assertSafe(c: Catalog, what: string): void {
  for (const base of BASES) {
    const folder = new URL('./', base);
    for (const m of c.models) {
      if ('hub' in m) continue;
      const url = new URL(m.manifest, base);
      expect(url.origin, what).toBe(folder.origin);
      expect(url.pathname.startsWith(folder.pathname), what).toBe(true);
      expect(url.search + url.hash, what).toBe('');
      const segments = decodeURIComponent(url.pathname).split('/');
      expect(segments.includes('..') || segments.includes('.'), what).toBe(false);
    }
  }
  const ids = c.models.map((m) => m.id);
  expect(new Set(ids).size, what).toBe(ids.length);
  for (const m of c.models) {
    if ('hub' in m) {
      // Written apart from the validator's rule: two plain parts, no dot-only part.
      const parts = m.hub.repo.split('/');
      expect(parts.length, what).toBe(2);
      for (const part of parts) {
        expect(/^[\w.-]+$/.test(part) && !/^\.+$/.test(part), what).toBe(true);
      }
      expect(/^[\w./-]+$/.test(m.hub.revision) && !m.hub.revision.includes('..'), what).toBe(true);
      expect(m.framework, what).toBe('transformers');
      continue;
    }
    expect(Number.isSafeInteger(m.size) && m.size >= 0, what).toBe(true);
    expect(m.name.length <= 200 && m.description.length <= 10_000, what).toBe(true);
  }
  expect(() => structuredClone(c), what).not.toThrow();
  expect(() => JSON.stringify(c), what).not.toThrow();
}

function runFamily(family: number, mutate: (r: Random, doc: Json) => string): number {
  return runFuzzFamily({
    seed: FUZZ_SEED + 100 + family,
    count: PER_FAMILY,
    valid: validCatalog,
    mutate,
    parse: (doc, r) => parseCatalog(doc, { url: r.pick(BASES) }),
    code: 'invalid-catalog',
    assertSafe,
  });
}

/** A model entry to edit. */
function someModel(r: Random, doc: Json): Json {
  return doc.models[r.int(doc.models.length)];
}

describe(`parseCatalog fuzz (${PER_FAMILY} mutants per family, FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('structural edits: dropped, added, retyped, duplicated, grown and deeply nested values', () => {
    runFamily(1, structuralEdit);
  });

  it('number edits: huge, negative, fractional, NaN, numeric strings', () => {
    runFamily(2, numberEdit);
  });

  it('string edits: case, normal forms, escapes, look-alikes and long strings', () => {
    runFamily(3, stringEdit);
  });

  it('hostile manifest paths: URL escapes, schemes, spaces, controls and overlong names', () => {
    const accepted = runFamily(4, (r, doc) => {
      const path = r.pick(HOSTILE_PATHS);
      someModel(r, doc).manifest = r.chance(0.5) ? path : `tiny/${path}`;
      return `manifest ${JSON.stringify(path.slice(0, 40))}`;
    });
    expect(accepted).toBeLessThan(PER_FAMILY / 4);
  });

  it('near-duplicate ids and manifest paths', () => {
    runFamily(5, (r, doc) => {
      const model = someModel(r, doc);
      const twin = { ...model, id: r.chance(0.5) ? model.id : unicodeVariant(r, model.id) };
      if (model.hub) twin.hub = { ...model.hub, repo: unicodeVariant(r, model.hub.repo) };
      else twin.manifest = unicodeVariant(r, model.manifest);
      doc.models.push(twin);
      return `twin ${JSON.stringify(twin.id)}`;
    });
  });

  it('hostile Hub repos and revisions: paths, URLs, escapes and look-alikes', () => {
    const accepted = runFamily(7, (r, doc) => {
      const hub = { repo: 'a/b', revision: 'main' };
      doc.models.push({ id: 'hubmodel', name: 'H', framework: 'transformers', task: 't', hub });
      const value = r.pick([
        ...HOSTILE_PATHS,
        '../x',
        'a/../b',
        'https://evil.example/a/b',
        'a//b',
        'a/b/c',
        '/a/b',
        'a/b?x=1',
        'a/b#c',
        '-a/b',
        'a--b/c',
        'a/b.',
        `${'a'.repeat(97)}/b`,
        'refs/pr/1',
        'a/b',
      ]);
      const field = r.chance(0.5) ? 'repo' : 'revision';
      hub[field] = r.chance(0.3) ? unicodeVariant(r, value) : value;
      return `hub.${field} ${JSON.stringify(value.slice(0, 40))}`;
    });
    expect(accepted).toBeLessThan(PER_FAMILY / 2);
  });

  it('unedited and lightly edited catalogs pass', () => {
    const accepted = runFamily(6, (r, doc) => {
      if (r.chance(0.5)) return 'unedited';
      const model = someModel(r, doc);
      model.description = r.chance(0.5) ? 'x'.repeat(10_000) : 'x'.repeat(10_001);
      return `description of ${model.description.length}`;
    });
    expect(accepted).toBeGreaterThan(PER_FAMILY / 4);
  });
});
