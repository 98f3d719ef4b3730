// Measured renderer memory of a model load, per runtime, backend and dtype: the
// peak (load and generation) per byte of the model's files, and the runtime's own
// fixed overhead with no model. The planner reads these instead of hand-set figures.
// Source of each figure: docs/benchmarks.md (`npm run bench:peers`).

export type MemoryRuntime = 'transformers.js' | 'onnxruntime-web' | 'wllama';
export type MemoryBackend = 'wasm' | 'webgpu';
export type MemoryDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

const MIB = 2 ** 20;

export interface MemoryRatio {
  runtime: MemoryRuntime;
  backend: MemoryBackend;
  dtype: MemoryDtype;
  /** Peak renderer memory above the runtime's fixed overhead, per byte of model files. */
  peakPerFileByte: number;
  /** Renderer memory of the runtime loaded with no model (its .wasm, heap, workers). */
  fixedOverheadBytes: number;
}

/**
 * `BENCH_DTYPES=q8 BENCH_RUNS=1 npm run bench:peers`, 2026-11-29, 2-core shared
 * machine at load average 11–17 (figures move by ±30 MiB run to run): the
 * SmolLM2-135M shape, q8 (220 MiB ONNX with external data, 217 MiB GGUF Q8_0);
 * q8 with prepacking off (sessionMemoryOptions); fixed overhead = the peak with
 * the same runtime on the `tiny` shape. q4 (181 MiB ONNX, 166 MiB GGUF Q4_0, ORT
 * defaults): `BENCH_DTYPES=q4 BENCH_MEMORY_ONLY=1`, quiet machine (load 3 → 2).
 * Not yet measured: fp32, WebGPU, and the ONNX runtime on its own.
 */
export const MEMORY_RATIOS: readonly MemoryRatio[] = [
  {
    runtime: 'transformers.js',
    backend: 'wasm',
    dtype: 'q8',
    peakPerFileByte: 1.91,
    fixedOverheadBytes: 159 * MIB,
  },
  {
    runtime: 'transformers.js',
    backend: 'wasm',
    dtype: 'q4',
    peakPerFileByte: 2.47,
    fixedOverheadBytes: 237 * MIB,
  },
  {
    runtime: 'wllama',
    backend: 'wasm',
    dtype: 'q4',
    peakPerFileByte: 1.13,
    fixedOverheadBytes: 195 * MIB,
  },
  {
    runtime: 'wllama',
    backend: 'wasm',
    dtype: 'q8',
    peakPerFileByte: 1.47,
    fixedOverheadBytes: 145 * MIB,
  },
];

/** The measured ratio for this runtime, backend and dtype, or null when none was measured. */
export function memoryRatio(
  runtime: MemoryRuntime,
  backend: MemoryBackend,
  dtype: MemoryDtype,
  ratios: readonly MemoryRatio[] = MEMORY_RATIOS,
): MemoryRatio | null {
  return (
    ratios.find((r) => r.runtime === runtime && r.backend === backend && r.dtype === dtype) ?? null
  );
}

/** Peak renderer bytes a load of `fileBytes` is expected to reach with this ratio. */
export function expectedPeakBytes(ratio: MemoryRatio, fileBytes: number): number {
  return Math.ceil(ratio.fixedOverheadBytes + ratio.peakPerFileByte * fileBytes);
}
