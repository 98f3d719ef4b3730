// TFLite models LiteRT.js cannot run correctly, generated here: one whose
// output is shaped only at run time goes to tfjs-tflite at load; a run that
// fails on LiteRT.js ends that worker and the same run succeeds on
// tfjs-tflite in a fresh one; a run that traps inside the WebAssembly of both
// runtimes ends each worker, and the next load gets a fresh instance.

import { addModel, intDivModel, tileModel } from '../../tools/tflite/tfliteModel';
import { expect, test } from '../support/fixtures';
import {
  call,
  type ModelServer,
  SHARED_MODELS_MISSING,
  serveSharedModels,
  value,
} from './runtimesSupport';

const request = (file: string) =>
  ({ id: 'generated', version: '1.0.0', device: 'wasm', file }) as const;

test('an output shaped at run time (tile by a fed count) runs on tfjs-tflite with the right size', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  value(
    await call(page, 'storeBytes', 'generated', '1.0.0', 'tile.tflite', [
      ...tileModel({ dynamic: true }),
    ]),
  );
  const loaded = value(await call(page, 'load', 'tflite', request('tile.tflite')));
  // LiteRT.js would compile it with y fixed at [2] and give zeros (measured).
  expect(loaded.runtime).toBe('tfjs-tflite');
  expect(loaded.note).toContain('output y is shaped at run time [-1]');
  const out = value(
    await call(page, 'run', 'tflite', {
      x: { type: 'float32', dims: [2], values: [1, 2] },
      multiples: { type: 'int32', dims: [1], values: [3] },
    }),
  );
  expect(out.y).toEqual({ type: 'float32', dims: [6], values: [1, 2, 1, 2, 1, 2] });
});

test('a run that fails on LiteRT.js ends its worker and runs again on tfjs-tflite in a fresh one', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}runtimes.html`);
  value(await call(page, 'storeBytes', 'generated', '1.0.0', 'add.tflite', [...addModel()]));
  const loaded = value(await call(page, 'load', 'tflite', request('add.tflite')));
  expect(loaded.runtime).toBe('litert');
  const started = await call(page, 'workersStarted');
  // A fixed-shape run works on LiteRT.js in the same worker.
  const ok = value(
    await call(page, 'run', 'tflite', {
      a: { type: 'float32', dims: [2], values: [1, 2] },
      b: { type: 'float32', dims: [2], values: [10, 20] },
    }),
  );
  expect(ok.c?.values).toEqual([11, 22]);
  expect(await call(page, 'workersStarted')).toBe(started);

  // Same element count, other dims: LiteRT.js refuses the run (its tensors must
  // match the model's [2]), tfjs-tflite takes the values as they are.
  const out = value(
    await call(page, 'run', 'tflite', {
      a: { type: 'float32', dims: [1, 2], values: [3, 4] },
      b: { type: 'float32', dims: [1, 2], values: [30, 40] },
    }),
  );
  expect(out.c).toEqual({ type: 'float32', dims: [2], values: [33, 44] });
  // The worker whose LiteRT.js run failed was ended: a fresh one ran the fallback.
  expect(await call(page, 'workersStarted')).toBe(started + 1);

  // The model stays on tfjs-tflite in that worker: the next run needs no new one.
  const next = value(
    await call(page, 'run', 'tflite', {
      a: { type: 'float32', dims: [2], values: [5, 6] },
      b: { type: 'float32', dims: [2], values: [50, 60] },
    }),
  );
  expect(next.c?.values).toEqual([55, 66]);
  expect(await call(page, 'workersStarted')).toBe(started + 1);
});

test('a run that traps inside WebAssembly ends the LiteRT.js worker, then the tfjs-tflite one; the next load serves the reference output', async ({
  page,
  servers,
}) => {
  test.skip(SHARED_MODELS_MISSING !== null, SHARED_MODELS_MISSING ?? '');
  let shared: ModelServer | undefined;
  try {
    shared = await serveSharedModels();
    await page.goto(`${servers.harness.url}runtimes.html`);
    value(await call(page, 'storeBytes', 'generated', '1.0.0', 'div.tflite', [...intDivModel()]));
    const embedderFile = 'regex_one_embedding_with_metadata.tflite';
    value(
      await call(page, 'store', `${shared.url}/tflite/`, 'tflite-tests', '1.0.0', [embedderFile]),
    );

    const loaded = value(await call(page, 'load', 'tflite', request('div.tflite')));
    expect(loaded.runtime).toBe('litert');
    const divide = (a: number[], b: number[]) =>
      call(page, 'run', 'tflite', {
        a: { type: 'int32', dims: [2], values: a },
        b: { type: 'int32', dims: [2], values: b },
      });
    // Ordinary values divide on LiteRT.js (truncating, as C does).
    expect(value(await divide([7, -9], [2, 4])).q?.values).toEqual([3, -2]);
    const started = await call(page, 'workersStarted');

    // -2147483648 / -1 traps in LiteRT.js's WebAssembly; the page ends that
    // worker and runs the same inputs on tfjs-tflite in a fresh one, whose
    // WebAssembly traps on them too: typed, and that worker is ended as well.
    const crashed = await divide([-2147483648, 6], [-1, 3]);
    expect(crashed.ok).toBe(false);
    if (crashed.ok) return;
    expect(crashed.error.code).toBe('runtime-crashed');
    expect(crashed.error.details).toMatchObject({
      crash: 'wasm-trap',
      reason: expect.stringMatching(/divide result unrepresentable/),
    });
    expect(await call(page, 'workersStarted')).toBe(started + 1);

    // The model stays on tfjs-tflite; its next run gets a fresh worker and the right quotients.
    expect(value(await divide([-2147483647, 6], [-1, 3])).q?.values).toEqual([2147483647, 2]);
    expect(await call(page, 'workersStarted')).toBe(started + 2);

    // A good model after the crash: LiteRT.js in that fresh worker gives the README embedding.
    const embedder = value(
      await call(page, 'load', 'tflite', {
        id: 'tflite-tests',
        version: '1.0.0',
        device: 'wasm',
        file: embedderFile,
      }),
    );
    expect(embedder.runtime).toBe('litert');
    const ids = [1, 3, 16, 9, 4, ...new Array(251).fill(0)];
    const embedding = Object.values(
      value(
        await call(page, 'run', 'tflite', { ids: { type: 'int32', dims: [1, 256], values: ids } }),
      ),
    )[0];
    const want = [
      0.0315, 0, 0, 0, 0, 0, 0, 0, 0.03099, 0.03022, 0.00863, 0.00815, 0.01574, 0, 0, 0,
    ];
    expect(embedding?.values).toHaveLength(16);
    for (const [i, v] of (embedding?.values ?? []).entries()) {
      expect(Math.abs(v - (want[i] as number))).toBeLessThan(1e-4);
    }
  } finally {
    await shared?.close();
  }
});
