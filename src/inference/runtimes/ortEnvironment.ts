// One onnxruntime-web for the whole app (the `onnxruntime-web/webgpu` API, the
// one transformers.js imports too), with two of its `.wasm` builds, both served
// by the app itself and chosen per worker by the backend of its first load:
//  - WebGPU / WebNN: the asyncify build (27 MB), which the bundle embeds the glue of;
//  - wasm: the plain SIMD-threaded build (14 MB). Asyncify instruments every call
//    path that may suspend, and that costs the CPU kernels: measured in Node on the
//    SmolLM2-135M-shaped q8 model, 1 thread, 30 ms per token against 61, and a
//    third of the session's resident memory (docs/benchmarks.md).
// Both the ONNX and the transformers.js workers configure it here, before their
// first session; onnxruntime reads the build and the thread count once.

import gpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import plainMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { AppError } from '../../core/errors';
import { type OrtBuild, ortBuildFor } from '../../core/ortBuild';
import type { Backend } from '../types';

/** The part of onnxruntime-web's `env.wasm` we set. */
export interface OrtWasmFlags {
  wasmPaths?: unknown;
  numThreads?: number;
}

/**
 * Whether wasm threads can work here: they need SharedArrayBuffer, which needs
 * cross-origin isolation — and some engines (WebKitGTK) lack it even then.
 */
export function canUseThreads(): boolean {
  return self.crossOriginIsolated && typeof SharedArrayBuffer === 'function';
}

/** Threads onnxruntime may use: several only where wasm threads can work. */
export function defaultThreads(): number {
  if (!canUseThreads()) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

const absolute = (url: string) => new URL(url, self.location.href).href;

/** The files of each build: the plain one's glue is loaded from its own file. */
export function ortWasmPaths(build: OrtBuild): { mjs?: string; wasm: string } {
  return build === 'wasm'
    ? { mjs: absolute(plainMjsUrl), wasm: absolute(plainWasmUrl) }
    : { wasm: absolute(gpuWasmUrl) };
}

/** The build this worker's onnxruntime was set to, once a session has fixed it. */
let fixedBuild: OrtBuild | null = null;

/**
 * Points onnxruntime at the build for `backend` and sets its thread count. Only
 * the last call before the first session counts; `fix` marks that session, and a
 * later load for a backend the fixed build lacks is refused (the page starts a
 * fresh worker for it: see core/ortBuild's `workerSetupChanged`).
 */
export function configureOrtWasm(
  wasm: OrtWasmFlags,
  { threads = defaultThreads(), backend = 'wasm', fix = false }: ConfigureOptions = {},
): void {
  const build = ortBuildFor(backend);
  if (fixedBuild !== null) {
    // The asyncify build runs the CPU backend too (slower); the plain one has no GPU.
    if (fixedBuild === 'wasm' && build !== 'wasm') {
      throw new AppError('model-load-failed', {
        reason: `this worker's onnxruntime runs its ${fixedBuild} build, which has no ${backend} backend`,
        backend,
      });
    }
    return;
  }
  wasm.wasmPaths = ortWasmPaths(build);
  wasm.numThreads = canUseThreads() ? threads : 1;
  if (fix) fixedBuild = build;
}

export interface ConfigureOptions {
  threads?: number;
  backend?: Backend;
  /** A session follows: the build and threads are now fixed for this worker. */
  fix?: boolean;
}
