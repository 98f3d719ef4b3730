// Shared by the runtime specs: where the real test models live, a server for
// them, and typed access to the runtimes harness page.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
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
