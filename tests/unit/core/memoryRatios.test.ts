// The peak-memory estimate: fixed overhead + file bytes × the ratio measured
// for (runtime, backend, dtype), the fallback where none was, and the table's shape.

import { describe, expect, it } from 'vitest';
import type { ManifestVariant } from '../../../src/core/manifest';
import {
  FALLBACK_MEMORY_RATIO,
  MEMORY_RATIOS,
  type MemoryRatio,
  measuredRatio,
} from '../../../src/core/memoryRatios';
import { variantFootprint } from '../../../src/core/planRules';

const MB = 1_000_000;

describe('measuredRatio looks up runtime, backend and dtype together', () => {
  const CASES: Array<[string, ManifestVariant['backend'], string, boolean]> = [
    ['transformers', 'wasm', 'q8', true],
    ['onnx', 'wasm', 'q8', false],
    ['transformers', 'webgpu', 'q8', false],
    ['transformers', 'wasm', 'q4', true],
    ['tflite', 'wasm', 'int8', false],
  ];
  for (const [runtime, backend, dtype, found] of CASES) {
    it(`${runtime} ${backend} ${dtype}: ${found ? 'measured' : 'none'}`, () => {
      expect(measuredRatio(runtime, backend, dtype) !== null).toBe(found);
    });
  }
});

describe('variantFootprint', () => {
  const variant: ManifestVariant = {
    backend: 'wasm',
    dtype: 'q8',
    files: ['model.onnx'],
    memoryBytes: 0,
    requiredFeatures: [],
  };
  const files = [{ path: 'model.onnx', size: 200 * MB }];
  const withOverhead: MemoryRatio[] = [
    {
      runtime: 'transformers',
      backend: 'wasm',
      dtype: 'q8',
      peakPerFileByte: 1.5,
      fixedOverheadBytes: 120 * MB,
      source: 'test',
    },
  ];

  it('adds the fixed overhead to file bytes × the ratio, and says so', () => {
    expect(variantFootprint(variant, 'transformers', files, undefined, withOverhead)).toEqual({
      bytes: 420 * MB,
      fileBytes: 200 * MB,
      basis: '120 MB + 1.5× file, measured q8 wasm',
    });
  });

  it('uses the fallback ratio where nothing was measured, and says so', () => {
    const footprint = variantFootprint(variant, 'onnx', files, undefined, withOverhead);
    expect(footprint).toEqual({
      bytes: Math.ceil(
        FALLBACK_MEMORY_RATIO.fixedOverheadBytes + 200 * MB * FALLBACK_MEMORY_RATIO.peakPerFileByte,
      ),
      fileBytes: 200 * MB,
      basis: '148 MB + 1.9× file, fallback: none measured for q8 wasm',
    });
  });

  it('holds the q8 wasm figure from the bench: 141 MiB fixed + 1.95× a 220 MiB file ≈ +569 MiB peak', () => {
    const q8 = measuredRatio('transformers', 'wasm', 'q8');
    expect(q8?.peakPerFileByte).toBe(1.95);
    expect(q8?.fixedOverheadBytes).toBe(141 * 2 ** 20);
  });
});

describe('the MEMORY_RATIOS table', () => {
  it('has at most one figure per runtime, backend and dtype', () => {
    const keys = MEMORY_RATIOS.map((r) => `${r.runtime}/${r.backend}/${r.dtype}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('holds plausible figures, each with its source', () => {
    for (const r of MEMORY_RATIOS) {
      expect(r.peakPerFileByte).toBeGreaterThanOrEqual(1);
      expect(r.fixedOverheadBytes).toBeGreaterThanOrEqual(0);
      expect(r.source.length).toBeGreaterThan(0);
    }
  });
});
