// Every runtime, real, in its worker, on wasm: models are stored in OPFS first
// and loaded through the engines the app uses. Also: typed errors for garbage,
// truncated and killed, and the next load working after each.

import { statSync } from 'node:fs';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { greedyContinuation } from '../../tools/llama2c/reference';
import { expect, test } from '../support/fixtures';
import {
  call,
  expectFiveSteps,
  type ModelServer,
  runSteps,
  SHARED_MODELS,
  SHARED_MODELS_MISSING,
  STORIES,
  serveSharedModels,
  storeStories,
  TINY_LLAMA,
  value,
} from './runtimesSupport';

test.skip(SHARED_MODELS_MISSING !== null, SHARED_MODELS_MISSING ?? '');

let shared: ModelServer;
test.beforeAll(async () => {
  shared = await serveSharedModels();
});
test.afterAll(async () => {
  await shared?.close();
});

const MNIST = { id: 'mnist', version: '1.0.0', device: 'wasm', file: 'mnist.onnx' } as const;

test('ONNX on wasm: MNIST stored in OPFS classifies each of the ten sample digits', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  value(await call(page, 'store', `${shared.url}/onnx/`, 'mnist', '1.0.0', ['mnist.onnx']));
  const loaded = value(await call(page, 'load', 'onnx', MNIST));
  expect(loaded).toMatchObject({ runtime: 'onnxruntime-web', backend: 'wasm' });
  expect(loaded.inputs.map((i) => i.name)).toEqual(['Input3']);
  const predictions = value(
    await call(page, 'classifyDigits', `${shared.url}/`, 'Input3', 'Plus214_Output_0'),
  );
  expect(predictions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('ONNX: garbage and truncated model files give model-load-failed with the reason, then a good model loads', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  value(await call(page, 'store', `${shared.url}/onnx/`, 'mnist', '1.0.0', ['mnist.onnx']));
  value(await call(page, 'storeGarbage', 'garbage', '1.0.0', 'model.onnx', 4096));
  value(
    await call(
      page,
      'storeTruncated',
      `${shared.url}/onnx/mnist.onnx`,
      'truncated',
      '1.0.0',
      'model.onnx',
      10_000,
    ),
  );

  for (const id of ['garbage', 'truncated']) {
    const failed = await call(page, 'load', 'onnx', {
      ...MNIST,
      id,
      file: 'model.onnx',
      timeoutMs: 60_000,
    });
    expect(failed.ok).toBe(false);
    if (failed.ok) continue;
    expect(failed.error.code).toBe('model-load-failed');
    expect(failed.error.details).toMatchObject({ id, file: 'model.onnx' });
    expect(String((failed.error.details as { reason?: string }).reason)).not.toBe('');
    // The next load on the same engine works.
    value(await call(page, 'load', 'onnx', MNIST));
  }
  // A load over its time limit fails typed, its worker is replaced, and the next load works.
  const slow = await call(page, 'load', 'onnx', { ...MNIST, timeoutMs: 1 });
  expect(slow.ok ? null : slow.error).toMatchObject({
    code: 'model-load-failed',
    details: { reason: 'timed out after 1 ms' },
  });
  value(await call(page, 'load', 'onnx', MNIST));
  const missing = await call(page, 'load', 'onnx', { ...MNIST, id: 'absent' });
  expect(missing.ok ? null : missing.error.code).toBe('model-not-installed');
});

test('ONNX: a worker killed behind the engine is replaced, and the next run reloads the model in a fresh worker', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  value(await call(page, 'store', `${shared.url}/onnx/`, 'mnist', '1.0.0', ['mnist.onnx']));
  value(await call(page, 'load', 'onnx', MNIST));
  const before = await call(page, 'killWorker');
  const predictions = value(
    await call(page, 'classifyDigits', `${shared.url}/`, 'Input3', 'Plus214_Output_0'),
  );
  expect(predictions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(await call(page, 'workersStarted')).toBe(before + 1);
});

test('ONNX on wasm: outputs named in keepOnDevice stay in the worker and feed the next run; unknown names are refused', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  expectFiveSteps(await runSteps(page, 'wasm', 5), 'cpu');
  const bad = await call(page, 'load', 'onnx', {
    id: 'steps',
    version: '1.0.0',
    device: 'wasm',
    file: 'steps.onnx',
    keepOnDevice: ['nope'],
  });
  expect(bad).toMatchObject({ ok: false, error: { code: 'model-load-failed' } });
  expect(JSON.stringify(bad)).toContain('nope');
});

test('ONNX: the Llama export loads with its external data handed over from OPFS', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  const base = `${shared.url}/${TINY_LLAMA.dir}`;
  value(await call(page, 'store', base, TINY_LLAMA.id, TINY_LLAMA.version, TINY_LLAMA.files));
  const request = {
    id: TINY_LLAMA.id,
    version: TINY_LLAMA.version,
    device: 'wasm',
    file: 'onnx/model_fp16.onnx',
  } as const;
  // Without its external data the graph cannot load: proof the data file is really used.
  const without = await call(page, 'load', 'onnx', request);
  expect(without.ok ? null : without.error.code).toBe('model-load-failed');
  const loaded = value(
    await call(page, 'load', 'onnx', { ...request, externalData: ['onnx/model_fp16.onnx_data'] }),
  );
  expect(loaded.inputs.map((i) => i.name)).toContain('past_key_values.0.key');
  expect(loaded.outputs.map((o) => o.name)).toContain('logits');
  // Read from OPFS range by range into wasm memory: no JS copy of the weights was made.
  expect(loaded.externalData?.inMemoryBytes).toBe(0);
  const dataBytes = statSync(`${SHARED_MODELS}/${TINY_LLAMA.dir}onnx/model_fp16.onnx_data`).size;
  // Every tensor's range once; a file may hold padding between tensors, so not always all of it.
  expect(loaded.externalData?.fromDiskBytes).toBeGreaterThan(0.9 * dataBytes);
  expect(loaded.externalData?.fromDiskBytes).toBeLessThanOrEqual(dataBytes);
});

const PROMPT = 'Once upon a time, there was a little dog';

test('transformers.js on wasm: the converted TinyStories model reproduces its greedy text, and stops when interrupted', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await storeStories(page, servers.models.url);
  value(
    await call(page, 'loadText', {
      id: STORIES.id,
      version: STORIES.version,
      device: 'wasm',
      dtype: 'fp32',
    }),
  );
  const settings = { ...DEFAULT_GENERATION, maxNewTokens: 60 };
  const { pieces, stats } = value(
    await call(page, 'generate', [{ role: 'user', content: PROMPT }], settings),
  );
  const expected = greedyContinuation(PROMPT, settings.maxNewTokens).text;
  expect(stats.text).toBe(expected);
  expect(pieces.join('')).toBe(expected);
  expect(pieces.length).toBeGreaterThan(5);

  // A stop asked for after three pieces takes effect mid-generation.
  const long = { ...DEFAULT_GENERATION, maxNewTokens: 400 };
  const stopped = value(await call(page, 'generate', [{ role: 'user', content: PROMPT }], long, 3));
  expect(stopped.stats.stoppedBy).toBe('interrupted');
  expect(stopped.stats.tokens).toBeLessThan(50);
});

test('transformers.js: a worker killed mid-generation gives runtime-crashed, and the next load and generation work', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await storeStories(page, servers.models.url);
  const request = {
    id: STORIES.id,
    version: STORIES.version,
    device: 'wasm',
    dtype: 'fp32',
  } as const;
  value(await call(page, 'loadText', request));
  const messages = [{ role: 'user' as const, content: PROMPT }];
  const killed = await call(page, 'generateAndKill', messages, {
    ...DEFAULT_GENERATION,
    maxNewTokens: 400,
  });
  expect(killed.ok ? null : killed.error.code).toBe('runtime-crashed');

  value(await call(page, 'loadText', request));
  const { stats } = value(
    await call(page, 'generate', messages, { ...DEFAULT_GENERATION, maxNewTokens: 20 }),
  );
  expect(stats.text).toBe(greedyContinuation(PROMPT, 20).text);
});

test('transformers.js on wasm: the Llama export (fp16, external data, contrib ops) generates tokens', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  const base = `${shared.url}/${TINY_LLAMA.dir}`;
  value(await call(page, 'store', base, TINY_LLAMA.id, TINY_LLAMA.version, TINY_LLAMA.files));
  value(
    await call(page, 'loadText', {
      id: TINY_LLAMA.id,
      version: TINY_LLAMA.version,
      device: 'wasm',
      dtype: 'fp16',
    }),
  );
  const { stats } = value(
    await call(page, 'generate', [{ role: 'user', content: 'Hello' }], {
      ...DEFAULT_GENERATION,
      maxNewTokens: 8,
    }),
  );
  expect(stats.tokens).toBe(8);
  expect(stats.stoppedBy).toBe('max-tokens');
});
