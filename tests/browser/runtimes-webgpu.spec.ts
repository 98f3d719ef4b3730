// The runtimes on WebGPU, in real Chromium with its software adapter
// (SwiftShader, `--enable-unsafe-webgpu`): slow, so kept to a few small models.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { greedyContinuation } from '../../tools/llama2c/reference';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { test as base, expect } from '../support/fixtures';
import {
  call,
  expectFiveSteps,
  type ModelServer,
  runSteps,
  SHARED_MODELS_MISSING,
  STORIES,
  serveSharedModels,
  storeStories,
  TINY_LLAMA,
  value,
} from './runtimesSupport';

const test = base.extend({
  // A second browser: the shared fixture's Chromium runs without WebGPU.
  context: async ({ network: _ }, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'runanywhere-webgpu-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
    });
    await use(context);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  },
});

test.skip(SHARED_MODELS_MISSING !== null, SHARED_MODELS_MISSING ?? '');
test.setTimeout(240_000);

let shared: ModelServer;
test.beforeAll(async () => {
  shared = await serveSharedModels();
});
test.afterAll(async () => {
  await shared?.close();
});

async function adapterFeatures(page: import('@playwright/test').Page): Promise<string[]> {
  const features = await page.evaluate(async () => {
    const gpu = (
      navigator as { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }
    ).gpu;
    const adapter = await gpu?.requestAdapter();
    return adapter ? [...adapter.features] : null;
  });
  if (!features)
    throw new Error('This Chromium offers no WebGPU adapter even with --enable-unsafe-webgpu.');
  return features;
}

test('ONNX on WebGPU: MNIST classifies each of the ten sample digits', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await adapterFeatures(page);
  value(await call(page, 'store', `${shared.url}/onnx/`, 'mnist', '1.0.0', ['mnist.onnx']));
  const loaded = value(
    await call(page, 'load', 'onnx', {
      id: 'mnist',
      version: '1.0.0',
      device: 'webgpu',
      file: 'mnist.onnx',
    }),
  );
  expect(loaded.backend).toBe('webgpu');
  const predictions = value(
    await call(page, 'classifyDigits', `${shared.url}/`, 'Input3', 'Plus214_Output_0'),
  );
  expect(predictions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test("ONNX: wasm runs onnxruntime's plain build, WebGPU its asyncify build, each load in a worker started for it", async ({
  page,
  servers,
}) => {
  const wasmFiles: string[] = [];
  page.context().on('request', (request) => {
    const file = /\/(ort-[^/?]+\.wasm)/.exec(request.url())?.[1];
    if (file) wasmFiles.push(file);
  });
  await page.goto(`${servers.harness.url}runtimes.html`);
  await adapterFeatures(page);
  value(await call(page, 'store', `${shared.url}/onnx/`, 'mnist', '1.0.0', ['mnist.onnx']));
  const digits = () => call(page, 'classifyDigits', `${shared.url}/`, 'Input3', 'Plus214_Output_0');
  const mnist = { id: 'mnist', version: '1.0.0', file: 'mnist.onnx' };

  for (const [step, device, build] of [
    [1, 'wasm', /^ort-wasm-simd-threaded-[^.]+\.wasm$/],
    [2, 'webgpu', /^ort-wasm-simd-threaded\.asyncify-[^.]+\.wasm$/],
    [3, 'wasm', /^ort-wasm-simd-threaded-[^.]+\.wasm$/],
  ] as const) {
    wasmFiles.length = 0;
    const loaded = value(await call(page, 'load', 'onnx', { ...mnist, device }));
    expect(loaded.backend).toBe(device);
    expect(value(await digits())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await call(page, 'workersStarted')).toBe(step);
    expect(wasmFiles, `load ${step} (${device})`).toHaveLength(1);
    expect(wasmFiles[0]).toMatch(build);
  }
});

test('ONNX on WebGPU: outputs named in keepOnDevice stay in GPU buffers and feed the next run (IO binding)', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await adapterFeatures(page);
  expectFiveSteps(await runSteps(page, 'webgpu', 5), 'gpu-buffer');
});

test('transformers.js on WebGPU: TinyStories reproduces its greedy text with the KV cache kept on the GPU', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await adapterFeatures(page);
  await storeStories(page, servers.models.url);
  value(
    await call(page, 'loadText', {
      id: STORIES.id,
      version: STORIES.version,
      device: 'webgpu',
      dtype: 'fp32',
    }),
  );
  const prompt = 'Once upon a time, there was a little dog';
  const settings = { ...DEFAULT_GENERATION, maxNewTokens: 30 };
  const { stats } = value(
    await call(page, 'generate', [{ role: 'user', content: prompt }], settings),
  );
  expect(stats.text).toBe(greedyContinuation(prompt, settings.maxNewTokens).text);
  expect(stats.kvCacheLocation).toBe('gpu-buffer');
});

test('transformers.js on WebGPU: the fp16 Llama export generates where shader-f16 exists and is refused with the reason where not', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  const hasF16 = (await adapterFeatures(page)).includes('shader-f16');
  const base = `${shared.url}/${TINY_LLAMA.dir}`;
  value(await call(page, 'store', base, TINY_LLAMA.id, TINY_LLAMA.version, TINY_LLAMA.files));
  const request = {
    id: TINY_LLAMA.id,
    version: TINY_LLAMA.version,
    device: 'webgpu',
    dtype: 'fp16',
  } as const;
  const loaded = await call(page, 'loadText', request);
  if (!hasF16) {
    // SwiftShader has no shader-f16: a clear, typed refusal instead of a broken session.
    expect(loaded.ok ? null : loaded.error).toMatchObject({
      code: 'model-load-failed',
      details: { backend: 'webgpu', dtype: 'fp16' },
    });
    expect(JSON.stringify(loaded)).toContain('fp16');
    return;
  }
  value(loaded);
  const { stats } = value(
    await call(page, 'generate', [{ role: 'user', content: 'Hello' }], {
      ...DEFAULT_GENERATION,
      maxNewTokens: 4,
    }),
  );
  expect(stats.tokens).toBe(4);
});

test('TFLite on WebGPU: LiteRT.js runs the text embedder and gives the README output', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  await adapterFeatures(page);
  const file = 'regex_one_embedding_with_metadata.tflite';
  value(await call(page, 'store', `${shared.url}/tflite/`, 'embedder', '1.0.0', [file]));
  const loaded = value(
    await call(page, 'load', 'tflite', {
      id: 'embedder',
      version: '1.0.0',
      device: 'webgpu',
      file,
    }),
  );
  // On WebGPU, possibly with some ops delegated to WASM (then `note` says so).
  expect(loaded).toMatchObject({ runtime: 'litert', backend: 'webgpu' });
  const ids = [1, 3, 16, 9, 4, ...new Array(251).fill(0)];
  const [embedding] = Object.values(
    value(
      await call(page, 'run', 'tflite', { ids: { type: 'int32', dims: [1, 256], values: ids } }),
    ),
  );
  const want = [0.0315, 0, 0, 0, 0, 0, 0, 0, 0.03099, 0.03022, 0.00863, 0.00815, 0.01574, 0, 0, 0];
  expect(embedding?.values).toHaveLength(16);
  for (const [i, v] of (embedding?.values ?? []).entries()) {
    expect(Math.abs(v - (want[i] as number))).toBeLessThan(1e-4);
  }
});
