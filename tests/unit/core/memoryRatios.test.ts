import { describe, expect, it } from 'vitest';
import {
  expectedPeakBytes,
  MEMORY_RATIOS,
  type MemoryRatio,
  memoryRatio,
} from '../../../src/core/memoryRatios';

const table: MemoryRatio[] = [
  {
    runtime: 'transformers.js',
    backend: 'wasm',
    dtype: 'q8',
    peakPerFileByte: 2,
    fixedOverheadBytes: 10,
  },
  {
    runtime: 'transformers.js',
    backend: 'wasm',
    dtype: 'q4',
    peakPerFileByte: 3,
    fixedOverheadBytes: 10,
  },
];

describe('memoryRatio', () => {
  it.each([
    ['q8', 2],
    ['q4', 3],
  ] as const)('finds the %s row', (dtype, ratio) => {
    expect(memoryRatio('transformers.js', 'wasm', dtype, table)?.peakPerFileByte).toBe(ratio);
  });

  it('is null for a combination never measured', () => {
    expect(memoryRatio('transformers.js', 'webgpu', 'q8', table)).toBeNull();
    expect(memoryRatio('onnxruntime-web', 'wasm', 'q8', table)).toBeNull();
  });

  it('holds one row per runtime, backend and dtype, each with positive figures', () => {
    const keys = MEMORY_RATIOS.map((r) => `${r.runtime}/${r.backend}/${r.dtype}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of MEMORY_RATIOS) {
      expect(r.peakPerFileByte).toBeGreaterThan(0);
      expect(r.fixedOverheadBytes).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('expectedPeakBytes', () => {
  it.each([
    [0, 10],
    [100, 210],
    [3, 16],
  ])('%i file bytes at 2×/byte + 10 → %i', (fileBytes, expected) => {
    expect(expectedPeakBytes(table[0] as MemoryRatio, fileBytes)).toBe(expected);
  });
});
