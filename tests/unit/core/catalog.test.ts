// Table-driven tests for `parseCatalog` and `catalogEntry`.

import { describe, expect, it } from 'vitest';
import { catalogEntry, parseCatalog } from '../../../src/core/catalog';
import { AppError } from '../../../src/core/errors';
import type { ModelManifest } from '../../../src/core/manifest';

// biome-ignore lint/suspicious/noExplicitAny: tests deliberately build malformed JSON.
type Json = any;

function validCatalog(): Json {
  return {
    schema: 1,
    models: [
      {
        id: 'tiny',
        name: 'Tiny',
        version: '1.2.0',
        framework: 'onnx',
        task: 'text-generation',
        description: 'A tiny model.',
        size: 1234,
        manifest: 'tiny/1.2.0/manifest.json',
      },
      {
        id: 'echo',
        name: 'Echo',
        version: '0.1.0-rc.1',
        framework: 'builtin',
        task: 'text-generation',
        description: '',
        size: 0,
        manifest: 'echo/0.1.0-rc.1/manifest.json',
      },
    ],
  };
}

function problemsOf(json: unknown): string[] {
  try {
    parseCatalog(json);
  } catch (error) {
    expect(AppError.is(error, 'invalid-catalog')).toBe(true);
    return (error as AppError).details.problems as string[];
  }
  throw new Error('parseCatalog accepted a malformed catalog');
}

describe('parseCatalog', () => {
  it('accepts a valid catalog, unchanged', () => {
    const json = validCatalog();
    expect(parseCatalog(JSON.parse(JSON.stringify(json)))).toEqual(json);
  });

  it('accepts an empty catalog', () => {
    expect(parseCatalog({ schema: 1, models: [] })).toEqual({ schema: 1, models: [] });
  });

  it('defaults a missing description', () => {
    const json = validCatalog();
    delete json.models[0].description;
    expect(parseCatalog(json).models[0]?.description).toBe('');
  });

  it.each([null, [], 'catalog', 1])('refuses %j', (json) => {
    expect(problemsOf(json)).toContain('catalog is not an object');
  });

  // Each mutator edits a valid catalog in place.
  const m0 = (c: Json) => c.models[0];
  it.each<[string, (c: Json) => unknown, RegExp]>([
    ['wrong schema', (c) => Object.assign(c, { schema: 2 }), /schema must be 1/],
    ['models missing', (c) => delete c.models, /^models is missing/],
    ['model not an object', (c) => c.models.push('tiny'), /models\[2\] is not an object/],
    [
      'unknown top-level key',
      (c) => Object.assign(c, { extra: true }),
      /^extra is not a known field/,
    ],
    [
      'unknown entry key',
      (c) => Object.assign(m0(c), { url: 'x' }),
      /models\[0\]\.url is not a known/,
    ],
    [
      'long name',
      (c) => Object.assign(m0(c), { name: 'n'.repeat(201) }),
      /name must be at most 200/,
    ],
    [
      'too many models',
      (c) => c.models.push(...Array(20_000).fill(m0(c))),
      /models must list at most 20000/,
    ],
    [
      'encoded parent manifest',
      (c) => Object.assign(m0(c), { manifest: '%2e%2e/%2e%2e/m.json' }),
      /once %-decoded/,
    ],
    [
      'scheme-relative manifest',
      (c) => Object.assign(m0(c), { manifest: 'https:evil.example/m.json' }),
      /\\, #, \? or :/,
    ],
    [
      'manifest with a query',
      (c) => Object.assign(m0(c), { manifest: 'm.json?x' }),
      /\\, #, \? or :/,
    ],
    [
      'manifest with a leading space',
      (c) => Object.assign(m0(c), { manifest: ' m.json' }),
      /space/,
    ],
    [
      'bad id',
      (c) => Object.assign(m0(c), { id: 'Tiny Model' }),
      /models\[0\]\.id must be a lowercase slug/,
    ],
    [
      'duplicate id',
      (c) => Object.assign(c.models[1], { id: 'tiny' }),
      /models\[1\]\.id is listed twice/,
    ],
    ['bad version', (c) => Object.assign(m0(c), { version: '1.2' }), /version must be semver/],
    ['empty name', (c) => Object.assign(m0(c), { name: '' }), /name must be/],
    ['missing task', (c) => delete m0(c).task, /models\[0\]\.task is missing/],
    ['numeric description', (c) => Object.assign(m0(c), { description: 5 }), /description/],
    ['unknown framework', (c) => Object.assign(m0(c), { framework: 'jax' }), /framework/],
    ['negative size', (c) => Object.assign(m0(c), { size: -1 }), /size must be/],
    ['string size', (c) => Object.assign(m0(c), { size: '12' }), /size must be/],
    ['fractional size', (c) => Object.assign(m0(c), { size: 1.5 }), /size must be/],
    [
      'absolute manifest',
      (c) => Object.assign(m0(c), { manifest: '/x/manifest.json' }),
      /manifest/,
    ],
    [
      'escaping manifest',
      (c) => Object.assign(m0(c), { manifest: '../manifest.json' }),
      /manifest/,
    ],
    ['missing manifest', (c) => delete m0(c).manifest, /models\[0\]\.manifest is missing/],
  ])('refuses %s', (_name, mutate, problem) => {
    const json = validCatalog();
    mutate(json);
    expect(problemsOf(json).some((p) => problem.test(p))).toBe(true);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'refuses the key %s, which every object inherits',
    (key) => {
      const json = JSON.parse(`{"schema":1,"models":[],"${key}":{"x":1}}`);
      expect(problemsOf(json)).toEqual([`${key} is not a known field`]);
    },
  );

  it('lists every problem at once', () => {
    const json = validCatalog();
    Object.assign(json.models[0], { id: 'X', size: -1 });
    Object.assign(json.models[1], { framework: 'none' });
    expect(problemsOf(json)).toHaveLength(3);
  });
});

describe('parseCatalog: Hub entries', () => {
  function hubCatalog(): Json {
    const json = validCatalog();
    json.models.push({
      id: 'smollm2-135m-instruct',
      name: 'SmolLM2 135M Instruct',
      framework: 'transformers',
      task: 'text-generation',
      description: 'A small chat model.',
      hub: { repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main' },
    });
    return json;
  }
  const hub = (c: Json) => c.models[2];

  it('accepts a catalog that mixes manifest and Hub entries, unchanged', () => {
    const json = hubCatalog();
    expect(parseCatalog(JSON.parse(JSON.stringify(json)))).toEqual(json);
  });

  it('accepts a pinned commit and a PR ref as the revision', () => {
    for (const revision of ['a'.repeat(40), 'refs/pr/3', 'v1.0']) {
      const json = hubCatalog();
      hub(json).hub.revision = revision;
      expect(parseCatalog(json).models[2]).toEqual(hub(json));
    }
  });

  it.each<[string, (c: Json) => unknown, RegExp]>([
    ['a size', (c) => Object.assign(hub(c), { size: 10 }), /models\[2\]\.size is not a known/],
    ['a version', (c) => Object.assign(hub(c), { version: '1.0.0' }), /version is not a known/],
    ['a manifest too', (c) => Object.assign(hub(c), { manifest: 'm.json' }), /manifest is not/],
    ['an onnx framework', (c) => Object.assign(hub(c), { framework: 'onnx' }), /transformers/],
    ['no revision', (c) => delete hub(c).hub.revision, /hub\.revision is missing/],
    ['no repo', (c) => delete hub(c).hub.repo, /hub\.repo is missing/],
    ['an extra hub key', (c) => Object.assign(hub(c).hub, { x: 1 }), /hub\.x is not a known/],
    ['a repo without owner', (c) => Object.assign(hub(c).hub, { repo: 'gpt2' }), /owner\/name/],
    ['a repo URL', (c) => Object.assign(hub(c).hub, { repo: 'https://x.y/a/b' }), /owner\/name/],
    ['a repo path escape', (c) => Object.assign(hub(c).hub, { repo: '../a' }), /owner\/name/],
    ['a revision escape', (c) => Object.assign(hub(c).hub, { revision: '../x' }), /branch, tag/],
    ['a revision query', (c) => Object.assign(hub(c).hub, { revision: 'main?x' }), /branch, tag/],
    ['hub as a string', (c) => Object.assign(hub(c), { hub: 'a/b' }), /hub is not an object/],
    ['a duplicate id', (c) => Object.assign(hub(c), { id: 'tiny' }), /\[2\]\.id is listed twice/],
  ])('refuses a Hub entry with %s', (_name, mutate, problem) => {
    const json = hubCatalog();
    mutate(json);
    const problems = problemsOf(json);
    expect(problems.some((p) => problem.test(p))).toBe(true);
  });

  it('checks a manifest entry against the manifest schema only', () => {
    const json = hubCatalog();
    delete json.models[0].size;
    expect(problemsOf(json)).toEqual(['models[0].size is missing']);
  });
});

describe('parseCatalog with its URL', () => {
  const url = 'https://models.example/hub/catalog.json';

  it('accepts manifests under the catalog folder', () => {
    expect(parseCatalog(validCatalog(), { url }).models).toHaveLength(2);
  });

  it('names the URL in the error', () => {
    const json = validCatalog();
    json.models[0].manifest = '../x/manifest.json';
    expect(() => parseCatalog(json, { url })).toThrow(
      expect.objectContaining({
        code: 'invalid-catalog',
        details: expect.objectContaining({ url }),
      }),
    );
  });
});

describe('catalogEntry', () => {
  it('summarises a manifest, adding up its file sizes', () => {
    const manifest: ModelManifest = {
      schema: 1,
      id: 'tiny',
      name: 'Tiny',
      version: '1.2.0',
      framework: 'onnx',
      task: 'text-generation',
      license: 'MIT',
      description: 'A tiny model.',
      variants: [],
      files: [
        { path: 'a', size: 1000, sha256: 'a'.repeat(64), chunks: [] },
        { path: 'b', size: 234, sha256: 'b'.repeat(64), chunks: [] },
      ],
    };
    expect(catalogEntry(manifest, 'tiny/1.2.0/manifest.json')).toEqual(validCatalog().models[0]);
  });
});
