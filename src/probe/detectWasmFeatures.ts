// WebAssembly features, detected by asking the engine to validate tiny modules
// that use each one (never by user agent). JSPI has no bytecode: its JS API is checked.

import type { WasmReport } from '../core/probeReport';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

// Each: a module whose only function (or memory) needs the feature.
const MODULES = {
  // (func (result v128) (i8x16.popcnt (i8x16.splat (i32.const 0))))
  simd: [
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b],
    ...[0x03, 0x02, 0x01, 0x00],
    ...[0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b],
  ],
  // (func (result v128) (i8x16.relaxed_swizzle (i8x16.splat (i32.const 1)) (i8x16.splat (i32.const 2))))
  relaxedSimd: [
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b],
    ...[0x03, 0x02, 0x01, 0x00],
    ...[0x0a, 0x0f, 0x01, 0x0d, 0x00, 0x41, 0x01, 0xfd, 0x0f, 0x41, 0x02, 0xfd, 0x0f],
    ...[0xfd, 0x80, 0x02, 0x0b],
  ],
  // (memory 1 1 shared) (func (drop (i32.atomic.load (i32.const 0))))
  threads: [
    ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
    ...[0x03, 0x02, 0x01, 0x00],
    ...[0x05, 0x04, 0x01, 0x03, 0x01, 0x01],
    ...[0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a, 0x0b],
  ],
  // (memory i64 1)
  memory64: [0x05, 0x03, 0x01, 0x04, 0x01],
};

function validates(body: number[]): boolean {
  try {
    return WebAssembly.validate(new Uint8Array([...HEADER, ...body]));
  } catch {
    return false;
  }
}

function canCreateSharedMemory(): boolean {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** The report of an engine without WebAssembly (or whose probe failed). */
export const NO_WASM: WasmReport = {
  supported: false,
  simd: false,
  relaxedSimd: false,
  threads: false,
  sharedMemory: false,
  memory64: false,
  jspi: false,
};

/** What this engine's WebAssembly supports; all false when there is no WebAssembly. */
export function detectWasmFeatures(): WasmReport {
  const supported =
    typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function' && validates([]);
  if (!supported) return { ...NO_WASM };
  const api = WebAssembly as unknown as Record<string, unknown>;
  return {
    supported,
    simd: validates(MODULES.simd),
    relaxedSimd: validates(MODULES.relaxedSimd),
    threads: validates(MODULES.threads),
    sharedMemory: canCreateSharedMemory(),
    memory64: validates(MODULES.memory64),
    jspi: typeof api.Suspending === 'function' && typeof api.promising === 'function',
  };
}
