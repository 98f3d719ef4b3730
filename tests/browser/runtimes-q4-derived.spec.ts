// 4-bit TinyStories installed through the app's download worker from a model
// server, planned for wasm: the install writes the int8 graph in external-data
// form under derived/ (download/deriveQ4Files), the load reads it from OPFS
// instead of rewriting at load, and gives the load-time rewrite's greedy text;
// damaged derived files fall back to the load-time rewrite; delete removes them.

import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { derivedQ4Paths } from '../../src/core/derivedFiles';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { DEMO_MODEL, MODELS_ROOT } from '../../tools/demo-model';
import { llama2cToLlama } from '../../tools/llama2c/fromLlama2c';
import { buildLlamaGraph } from '../../tools/llama2c/llamaGraph';
import { q4Linear } from '../../tools/llama2c/quantize';
import { loadReference } from '../../tools/llama2c/reference';
import { encodeModel } from '../../tools/onnx/onnxModel';
import { packModel } from '../../tools/pack/packModel';
import { createModelServer } from '../../tools/serve/modelServer';
import { expect, test } from '../support/fixtures';
import { call, SHARED_MODELS_MISSING, STORIES, value } from './runtimesSupport';

test.skip(SHARED_MODELS_MISSING !== null, SHARED_MODELS_MISSING ?? '');

const ID = 'stories260k-q4';
/** Installed planned for wasm: derives. */
const DERIVED = '1.0.0';
/** Installed with no plan: rewritten at every load, today's path. */
const PLAIN = '1.0.0-plain';
/** A q4 graph the rewrite cannot read (not a protobuf): deriving fails, the install must not. */
const BROKEN = '1.0.0-broken';
/** Installed as the Models screen does: the app's beforeInstall plans it. */
const APP = '1.0.0-app';
const Q4_FILE = 'onnx/model_q4.onnx';
const PATHS = derivedQ4Paths(Q4_FILE);
const PROMPT = 'Once upon a time, there was a little dog';
const SETTINGS = { ...DEFAULT_GENERATION, maxNewTokens: 60 };
const PLANNED = { plannedRun: { device: 'wasm', dtype: 'q4' } };

let root = '';
let server: Awaited<ReturnType<typeof createModelServer>>;

/** Two packages of the same q4 stories260K (the demo model's tokenizer and config). */
test.beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'q4-derived-'));
  const { config, weights } = llama2cToLlama(loadReference().checkpoint);
  const q4 = encodeModel(buildLlamaGraph(config, weights, q4Linear));
  for (const version of [DERIVED, PLAIN, BROKEN, APP]) {
    const dir = join(root, ID, version);
    for (const file of STORIES.files.filter((f) => f.endsWith('.json'))) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await copyFile(join(MODELS_ROOT, DEMO_MODEL.id, DEMO_MODEL.version, file), join(dir, file));
    }
    await mkdir(join(dir, 'onnx'), { recursive: true });
    await writeFile(join(dir, Q4_FILE), version === BROKEN ? new Uint8Array(4096).fill(0xff) : q4);
    await packModel({
      dir,
      id: ID,
      name: 'TinyStories 260K q4',
      version,
      framework: 'transformers',
      task: 'text-generation',
      license: 'MIT',
      variants: [{ backend: 'wasm', dtype: 'q4', memoryBytes: 16 << 20, requiredFeatures: [] }],
    });
  }
  server = await createModelServer({ root });
});

test.afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

async function install(page: Page, version: string, settings: object) {
  value(await call(page, 'install', `${server.url}/${ID}/${version}/manifest.json`, settings));
}

async function loadAndGenerate(page: Page, version: string) {
  const report = value(
    await call(page, 'loadText', { id: ID, version, device: 'wasm', dtype: 'q4' }),
  );
  const { stats } = value(
    await call(page, 'generate', [{ role: 'user', content: PROMPT }], SETTINGS),
  );
  value(await call(page, 'unload', 'text'));
  return { report, text: stats.text, tokens: stats.tokens };
}

/** Installs both packages and returns the load-time rewrite's text (the reference). */
async function setUp(page: Page, harnessUrl: string): Promise<string> {
  await page.goto(`${harnessUrl}runtimes.html`);
  await install(page, DERIVED, PLANNED);
  await install(page, PLAIN, {});
  const plain = await loadAndGenerate(page, PLAIN);
  expect(plain.report).toEqual({
    q4Graph: 'rewritten-at-load',
    loadTimeRewrites: 1,
    derivedRejected: 'none derived',
  });
  expect(plain.tokens).toBe(SETTINGS.maxNewTokens);
  return plain.text;
}

test('install for wasm writes the int8 graph under derived/; the load uses it, not the load-time rewrite, with the same greedy text', async ({
  page,
  servers,
}) => {
  const reference = await setUp(page, servers.harness.url);
  const record = value(await call(page, 'installed', ID, DERIVED));
  const derived = record?.derived?.q4Int8[0];
  expect(derived).toMatchObject({ source: Q4_FILE, location: PATHS.location });
  expect(derived?.rewritten).toBeGreaterThan(0);
  const stored = value(await call(page, 'listStored', ID, DERIVED));
  const size = (path: string) => stored.find((f) => f.path === path)?.size;
  expect(size(PATHS.graph)).toBe(derived?.graph.size);
  expect(size(PATHS.data)).toBe(derived?.data.size);
  // The int8 weights live in the data file; the graph is small beside them.
  expect(derived?.graph.size).toBeLessThan((derived?.data.size ?? 0) / 4);
  // The model's size on disk counts them; the plain install derived nothing.
  const plainRecord = value(await call(page, 'installed', ID, PLAIN));
  expect(plainRecord?.derived).toBeNull();
  expect(record?.bytes).toBe(
    (plainRecord?.bytes ?? 0) + (derived?.graph.size ?? 0) + (derived?.data.size ?? 0),
  );

  const ours = await loadAndGenerate(page, DERIVED);
  expect(ours.report).toEqual({ q4Graph: 'derived', loadTimeRewrites: 0 });
  expect(ours.text).toBe(reference);
});

for (const damage of [
  {
    name: 'the graph with one byte flipped',
    path: PATHS.graph,
    how: { flipAt: 40 },
    why: /SHA-256/,
  },
  {
    name: 'the data file cut short',
    path: PATHS.data,
    how: { cutLastByte: true },
    why: /recorded/,
  },
] as const) {
  test(`a damaged derived file (${damage.name}) is refused: the load rewrites at load and gives the same text`, async ({
    page,
    servers,
  }) => {
    const reference = await setUp(page, servers.harness.url);
    value(await call(page, 'damageStored', ID, DERIVED, damage.path, damage.how));
    const ours = await loadAndGenerate(page, DERIVED);
    expect(ours.report).toMatchObject({ q4Graph: 'rewritten-at-load', loadTimeRewrites: 1 });
    expect(ours.report.derivedRejected).toMatch(damage.why);
    expect(ours.text).toBe(reference);
  });
}

test('the orphan sweep keeps derived files; deleting the model removes them', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await install(page, DERIVED, PLANNED);
  const before = value(await call(page, 'listStored', ID, DERIVED)).map((f) => f.path);
  expect(before).toEqual(expect.arrayContaining([PATHS.graph, PATHS.data]));
  const sweep = value(await call(page, 'sweepOrphans'));
  expect(sweep.removed).toEqual([]);
  expect(value(await call(page, 'listStored', ID, DERIVED)).map((f) => f.path)).toEqual(before);
  value(await call(page, 'removeModel', ID, DERIVED));
  expect(value(await call(page, 'listStored', ID, DERIVED))).toEqual([]);
  expect(value(await call(page, 'installed', ID, DERIVED))).toBeNull();
});

test('a derivation that fails is recorded with its typed error, and the model still installs without derived files', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await install(page, BROKEN, PLANNED);
  const record = value(await call(page, 'installed', ID, BROKEN));
  expect(record?.derived?.q4Int8).toEqual([]);
  expect(record?.derived?.failure?.code).toBe('model-load-failed');
  const stored = value(await call(page, 'listStored', ID, BROKEN));
  expect(stored.filter((f) => f.path.startsWith('derived/'))).toEqual([]);
  expect(record?.bytes).toBe(stored.reduce((sum, f) => sum + f.size, 0));
});

test("the app's own install plans the model from the manifest it verified: a 4-bit model this device runs on wasm gets its int8 graph with no plan in the download's settings", async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  value(await call(page, 'installAsApp', `${server.url}/${ID}/${APP}/manifest.json`));
  const derived = value(await call(page, 'installed', ID, APP))?.derived?.q4Int8[0];
  expect(derived).toMatchObject({ source: Q4_FILE, location: PATHS.location });
  const report = value(
    await call(page, 'loadText', { id: ID, version: APP, device: 'wasm', dtype: 'q4' }),
  );
  expect(report).toEqual({ q4Graph: 'derived', loadTimeRewrites: 0 });
  // One fetch of the manifest: planning reused the one the install verified.
  const manifests = server.stats.log.filter(
    (entry) => entry.path === `/${ID}/${APP}/manifest.json`,
  );
  expect(manifests).toHaveLength(1);
});
