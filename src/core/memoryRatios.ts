// Measured renderer memory of a model load, per runtime, backend and dtype: the
// peak (load and generation) per byte of the model's files, and the runtime's own
// fixed overhead with no model. The planner reads these instead of hand-set figures.
// Source of each figure: docs/benchmarks.md (`npm run bench:peers`).

export type MemoryRuntime = 'transformers.js' | 'onnxruntime-web' | 'wllama';
export type MemoryBackend = 'wasm' | 'webgpu';
export type MemoryDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

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
 * First figures, measured before the memory work (q8, 2-core shared machine,
 * loaded): transformers.js on wasm peaked at +846 MiB for a 209 MiB file.
 * The fixed overhead was not yet measured apart, so it is counted in the ratio.
 */
export const MEMORY_RATIOS: readonly MemoryRatio[] = [
  {
    runtime: 'transformers.js',
    backend: 'wasm',
    dtype: 'q8',
    peakPerFileByte: 4.05,
    fixedOverheadBytes: 0,
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
