// The budget rule: only src/inference/runtimes/ may import a runtime package,
// so the page bundle never pulls one in by accident.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const RUNTIME_PACKAGES =
  /^(onnxruntime-web|onnxruntime-common|@huggingface\/transformers|@litertjs\/|@tensorflow\/)/;
const ALLOWED = 'src/inference/runtimes/';
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

function runtimeImports(code: string): string[] {
  return [...code.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
    .filter((s) => RUNTIME_PACKAGES.test(s));
}

describe('runtime packages', () => {
  it.each([
    ["import * as ort from 'onnxruntime-web/webgpu';", ['onnxruntime-web/webgpu']],
    [
      "import url from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';",
      ['onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url'],
    ],
    ["import { env } from '@huggingface/transformers';", ['@huggingface/transformers']],
    ["const m = await import('@litertjs/core');", ['@litertjs/core']],
    ["import '@tensorflow/tfjs-core';", ['@tensorflow/tfjs-core']],
    ["import type { Remote } from 'comlink';", []],
  ])('finds the runtime imports in %s', (code, found) => {
    expect(runtimeImports(code)).toEqual(found);
  });

  it('are imported only under src/inference/runtimes/', () => {
    const offenders = [...sources('src'), ...sources('workers')]
      .filter((file) => !file.startsWith(ALLOWED))
      .flatMap((file) =>
        runtimeImports(readFileSync(join(ROOT, file), 'utf8')).map((spec) => `${file}: ${spec}`),
      );
    expect(offenders).toEqual([]);
  });
});
