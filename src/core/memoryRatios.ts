// How much memory a model takes while it loads and runs, per runtime, backend
// and dtype: the figures the planner turns file bytes into a peak with.

import type { Backend } from './manifest';

const MIB = 2 ** 20;

export type RatioRuntime = 'onnx' | 'transformers' | 'tflite';

export interface MemoryRatio {
  runtime: RatioRuntime;
  backend: Backend;
  dtype: string;
  /** Peak memory (renderer, above idle) per byte of the variant's files. */
  peakPerFileByte: number;
  /** The runtime's own peak with no model loaded; 0 when folded into the ratio. */
  fixedOverheadBytes: number;
  /** Where the figure comes from: the bench, the run, and how sure it is. */
  source: string;
}

/**
 * Measured figures, one per (runtime, backend, dtype). `npm run bench:peers`
 * measures them (docs/benchmarks.md); commit new ones here with their run.
 */
export const MEMORY_RATIOS: readonly MemoryRatio[] = [
  {
    runtime: 'transformers',
    backend: 'wasm',
    dtype: 'q8',
    // 220 MiB q8 file on onnxruntime's plain wasm build, external data read from
    // OPFS, prepacking off: +569 MiB peak, the highest of four quiet readings
    // (448–569); the same runtime on the few-KiB `tiny` shape peaks at +141 MiB.
    peakPerFileByte: 1.95,
    fixedOverheadBytes: 141 * MIB,
    source:
      'BENCH_RUNS=2 npm run bench:peers, 2026-11-30 02:04, Chromium 156, 2 cores, load average 1.1–2.1 (the bench alone); the highest of four readings that day',
  },
  {
    runtime: 'transformers',
    backend: 'wasm',
    dtype: 'q4',
    // 181 MiB q4 file rewritten to int8 once at install (derived files read from
    // OPFS like q8's external data): +493 MiB peak measured alone, +139 MiB fixed.
    peakPerFileByte: 1.96,
    fixedOverheadBytes: 139 * MIB,
    source:
      'BENCH_DTYPES=q4 BENCH_MEMORY_ONLY=1 BENCH_THREADS=2 npm run bench:peers, 2026-11-30 02:13, Chromium 156, 2 cores, load average 0.7–2.1 (int8 graph derived at install)',
  },
];

/**
 * Used where nothing was measured for a (runtime, backend, dtype): the q8 wasm
 * figure. Assumed, not measured: it errs high for weights the runtime does not
 * copy (fp32 on wasm) and is unknown on WebGPU.
 */
export const FALLBACK_MEMORY_RATIO: MemoryRatio = {
  ...(MEMORY_RATIOS[0] as MemoryRatio),
  source: 'fallback: no figure measured for this runtime, backend and dtype; the q8 wasm one',
};

/** The measured ratio for a variant, or null when none was measured. */
export function measuredRatio(
  runtime: string,
  backend: Backend,
  dtype: string,
  ratios: readonly MemoryRatio[] = MEMORY_RATIOS,
): MemoryRatio | null {
  return (
    ratios.find((r) => r.runtime === runtime && r.backend === backend && r.dtype === dtype) ?? null
  );
}
