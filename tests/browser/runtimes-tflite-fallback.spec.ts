// TFLite models LiteRT.js cannot run correctly, generated here: one whose
// output is shaped only at run time goes to tfjs-tflite at load; a run that
// fails on LiteRT.js ends that worker and the same run succeeds on
// tfjs-tflite in a fresh one.

import { addModel, tileModel } from '../../tools/tflite/tfliteModel';
import { expect, test } from '../support/fixtures';
import { call, value } from './runtimesSupport';

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
