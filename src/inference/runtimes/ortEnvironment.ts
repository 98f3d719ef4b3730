// One onnxruntime-web for the whole app: the `onnxruntime-web/webgpu` bundle
// (the build transformers.js imports too), whose one `.wasm` (asyncify:
// wasm + WebGPU + WebNN) is served by the app itself. Both the ONNX and the
// transformers.js workers configure it here, before their first session.

import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

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

/**
 * Points onnxruntime at the app's own `.wasm` and sets its thread count. Only
 * the first call before a session counts: onnxruntime reads both once.
 */
export function configureOrtWasm(wasm: OrtWasmFlags, { threads = defaultThreads() } = {}): void {
  wasm.wasmPaths = { wasm: new URL(ortWasmUrl, self.location.href).href };
  wasm.numThreads = canUseThreads() ? threads : 1;
}
