// Shared by the runtime specs: where the real test models live, a server for
// them, and typed access to the runtimes harness page.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { GraphBuilder } from '../../tools/onnx/graphBuilder';
import { DataType, encodeModel } from '../../tools/onnx/onnxModel';
import { createModelServer } from '../../tools/serve/modelServer';
import type { RuntimeHarness } from './pages/runtimes';

export const SHARED_MODELS = resolve(import.meta.dirname, '../../../shared/models');
export const SHARED_MODELS_MISSING = existsSync(`${SHARED_MODELS}/README.md`)
  ? null
  : `The real test models are missing: ${SHARED_MODELS} does not exist. ` +
    'See ../shared/models/README.md upstream locations to fetch them.';

export type ModelServer = Awaited<ReturnType<typeof createModelServer>>;

export function serveSharedModels(): Promise<ModelServer> {
  return createModelServer({ root: SHARED_MODELS });
}

type Harness = RuntimeHarness;
type Result<K extends keyof Harness> = Awaited<ReturnType<Harness[K]>>;

/** Calls a harness function in the page. */
export function call<K extends keyof Harness>(
  page: Page,
  name: K,
  ...args: Parameters<Harness[K]>
): Promise<Result<K>> {
  return page.evaluate(
    ([fn, rest]) => {
      const h = (window as unknown as { harness: Record<string, (...a: unknown[]) => unknown> })
        .harness;
      return h[fn as string]?.(...(rest as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Result<K>>;
}

/** The value of a successful outcome, or a thrown error quoting the typed failure. */
export function value<T>(outcome: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!outcome.ok) throw new Error(`harness call failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

export const TINY_LLAMA = {
  id: 'tiny-random-llama',
  version: '1.0.0',
  dir: 'transformers/tiny-random-llama-fp16/',
  files: [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'special_tokens_map.json',
    'onnx/model_fp16.onnx',
    'onnx/model_fp16.onnx_data',
  ],
};

export const STORIES = {
  id: 'stories260k',
  version: '1.0.0',
  files: [
    'config.json',
    'generation_config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'special_tokens_map.json',
    'onnx/model.onnx',
  ],
};

/** Writes the converted TinyStories model into the page's storage, fetched from the demo model host. */
export async function storeStories(page: Page, modelsUrl: string): Promise<void> {
  value(
    await call(
      page,
      'store',
      `${modelsUrl}/stories260k/1.0.0/`,
      STORIES.id,
      STORIES.version,
      STORIES.files,
    ),
  );
}

/**
 * A model run step after step, made here: `next = state + step` (kept on the
 * device between runs) and `doubled = 2 * next` (returned each run).
 */
export function stepModelBytes(): number[] {
  const g = new GraphBuilder('steps');
  const state = g.input('state', DataType.FLOAT, [1, 4]);
  const step = g.input('step', DataType.FLOAT, [1, 4]);
  const next = g.op('Add', [state, step]);
  g.output(next, 'next', DataType.FLOAT, [1, 4]);
  const doubled = g.op('Mul', [next, g.constFloat([2], [1])]);
  g.output(doubled, 'doubled', DataType.FLOAT, [1, 4]);
  return [...encodeModel(g.model({ opset: 17 }))];
}

/**
 * Stores and loads the step model keeping `next` on the device, then runs it
 * `steps` times, each run fed the previous `next`: what a page can observe.
 */
export async function runSteps(page: Page, device: 'wasm' | 'webgpu', steps: number) {
  value(await call(page, 'storeBytes', 'steps', '1.0.0', 'steps.onnx', stepModelBytes()));
  value(
    await call(page, 'load', 'onnx', {
      id: 'steps',
      version: '1.0.0',
      device,
      file: 'steps.onnx',
      keepOnDevice: ['next'],
    }),
  );
  const ones = { type: 'float32' as const, dims: [1, 4], values: [1, 2, 3, 4] };
  const zeros = { type: 'float32' as const, dims: [1, 4], values: [0, 0, 0, 0] };
  const returned: string[][] = [];
  let doubled: number[] = [];
  for (let i = 0; i < steps; i++) {
    const out = value(
      i === 0
        ? await call(page, 'run', 'onnx', { state: zeros, step: ones })
        : await call(page, 'run', 'onnx', { step: ones }, { feed: { state: 'next' } }),
    );
    returned.push(Object.keys(out));
    doubled = out.doubled?.values ?? [];
  }
  const kept = value(await call(page, 'keptOutputs', 'onnx'));
  const next = value(await call(page, 'readKept', 'onnx', 'next'));
  const keptAfterRead = value(await call(page, 'keptOutputs', 'onnx'));
  // Reading does not consume it: one more step still starts from it.
  const after = value(await call(page, 'run', 'onnx', { step: ones }, { feed: { state: 'next' } }));
  const unknownFeed = await call(page, 'run', 'onnx', { step: ones }, { feed: { state: 'nope' } });
  value(await call(page, 'unload', 'onnx'));
  return {
    returned,
    doubled,
    kept,
    keptAfterRead,
    next: next?.values,
    after: after.doubled?.values,
    unknownFeed,
  };
}

/** What `runSteps(page, device, 5)` must observe, wherever the kept output lives. */
export function expectFiveSteps(r: Awaited<ReturnType<typeof runSteps>>, location: string) {
  // The kept output never travels to the page; the other one comes back every run.
  expect(r.returned).toEqual(Array.from({ length: 5 }, () => ['doubled']));
  expect(r.kept).toEqual([{ name: 'next', type: 'float32', dims: [1, 4], location }]);
  // Five steps of [1, 2, 3, 4] from zero, each fed the last one's kept state.
  expect(r.next).toEqual([5, 10, 15, 20]);
  // Reading a kept output copies it: it stays where it was.
  expect(r.keptAfterRead).toEqual(r.kept);
  expect(r.doubled).toEqual([10, 20, 30, 40]);
  expect(r.after).toEqual([12, 24, 36, 48]);
  expect(r.unknownFeed).toMatchObject({ ok: false, error: { code: 'inference-failed' } });
}
