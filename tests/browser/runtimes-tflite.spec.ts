// TFLite models, real, in the TFLite worker: LiteRT.js where it can, and
// tfjs-tflite where it cannot (int8 tensors), each checked against the
// outputs the models README lists.

import { readFile } from 'node:fs/promises';
import { expect, test } from '../support/fixtures';
import {
  call,
  type ModelServer,
  SHARED_MODELS,
  SHARED_MODELS_MISSING,
  serveSharedModels,
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

const FILES = [
  'hello_world_float.tflite',
  'mobilenet_v2_int8_nchw.tflite',
  'regex_one_embedding_with_metadata.tflite',
];
const request = (file: string) =>
  ({ id: 'tflite-tests', version: '1.0.0', device: 'wasm', file }) as const;

test('TFLite: sine, MobileNet on the dog and the text embedder give the README outputs; garbage fails typed', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  value(await call(page, 'store', `${shared.url}/tflite/`, 'tflite-tests', '1.0.0', FILES));

  const sine = value(await call(page, 'load', 'tflite', request('hello_world_float.tflite')));
  // Its input is [-1, 1]: LiteRT.js cannot resize inputs, so tfjs-tflite runs it.
  expect(sine).toMatchObject({ runtime: 'tfjs-tflite', backend: 'wasm' });
  expect(sine.note).toContain('dynamic shape');
  const expected = [
    [0, 0.026],
    [1.57, 0.996],
    [3.14, -0.003],
    [4.71, -1.005],
  ];
  for (const [x, y] of expected) {
    const out = value(
      await call(page, 'run', 'tflite', {
        x: { type: 'float32', dims: [1, 1], values: [x as number] },
      }),
    );
    const [result] = Object.values(out);
    expect(result?.values[0]).toBeCloseTo(y as number, 2);
  }

  // int8 tensors: LiteRT.js refuses them, tfjs-tflite runs the model.
  const mobilenet = value(
    await call(page, 'load', 'tflite', request('mobilenet_v2_int8_nchw.tflite')),
  );
  expect(mobilenet.runtime).toBe('tfjs-tflite');
  expect(mobilenet.note).toContain('INT8 is not supported');
  const dog = [
    ...new Int8Array(await readFile(`${SHARED_MODELS}/tflite/dog_int8_1x3x224x224.bin`)),
  ];
  const scores = Object.values(
    value(
      await call(page, 'run', 'tflite', {
        image: { type: 'int8', dims: [1, 3, 224, 224], values: dog },
      }),
    ),
  )[0];
  expect(scores?.type).toBe('int8');
  const top5 = [...(scores?.values ?? []).entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  expect(top5.map(([index]) => index)).toEqual([258, 259, 261, 203, 257]);
  expect(top5.map(([, raw]) => raw)).toEqual([107, 84, 75, 68, 64]);

  const embedder = value(
    await call(page, 'load', 'tflite', request('regex_one_embedding_with_metadata.tflite')),
  );
  const ids = [1, 3, 16, 9, 4, ...new Array(251).fill(0)];
  const embedding = Object.values(
    value(
      await call(page, 'run', 'tflite', { ids: { type: 'int32', dims: [1, 256], values: ids } }),
    ),
  )[0];
  const want = [0.0315, 0, 0, 0, 0, 0, 0, 0, 0.03099, 0.03022, 0.00863, 0.00815, 0.01574, 0, 0, 0];
  expect(embedding?.values).toHaveLength(16);
  for (const [i, v] of (embedding?.values ?? []).entries()) {
    expect(Math.abs(v - (want[i] as number))).toBeLessThan(1e-4);
  }
  // Fixed int32 input, float32 output: LiteRT.js runs it.
  expect(embedder).toMatchObject({ runtime: 'litert', backend: 'wasm' });

  value(await call(page, 'storeGarbage', 'garbage', '1.0.0', 'model.tflite', 4096));
  const garbage = await call(page, 'load', 'tflite', { ...request('model.tflite'), id: 'garbage' });
  expect(garbage.ok ? null : garbage.error.code).toBe('model-load-failed');
  // And the next load works.
  value(await call(page, 'load', 'tflite', request('hello_world_float.tflite')));
});
