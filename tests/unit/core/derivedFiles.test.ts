import { describe, expect, it } from 'vitest';
import {
  type DerivedRecord,
  derivedBytes,
  derivedPaths,
  derivedQ4Paths,
} from '../../../src/core/derivedFiles';

describe('derivedQ4Paths', () => {
  it.each([
    [
      'onnx/model_q4.onnx',
      {
        graph: 'derived/q4-int8/onnx/model_q4.onnx',
        data: 'derived/q4-int8/onnx/model_q4.int8.onnx_data',
        location: 'model_q4.int8.onnx_data',
      },
    ],
    [
      'model_q4.onnx',
      {
        graph: 'derived/q4-int8/model_q4.onnx',
        data: 'derived/q4-int8/model_q4.int8.onnx_data',
        location: 'model_q4.int8.onnx_data',
      },
    ],
  ])(
    '%s → beside its graph under derived/, data named apart from the download’s',
    (source, paths) => {
      expect(derivedQ4Paths(source)).toEqual(paths);
    },
  );
});

describe('derivedPaths and derivedBytes', () => {
  const file = (path: string, size: number) => ({ path, size, sha256: 'x' });
  const record: DerivedRecord = {
    q4Int8: [
      {
        source: 'onnx/model_q4.onnx',
        graph: file('derived/q4-int8/onnx/model_q4.onnx', 10),
        data: file('derived/q4-int8/onnx/model_q4.int8.onnx_data', 1000),
        location: 'model_q4.int8.onnx_data',
        rewritten: 7,
      },
    ],
  };
  it('lists every recorded file, and their bytes', () => {
    expect(derivedPaths(record)).toEqual([
      'derived/q4-int8/onnx/model_q4.onnx',
      'derived/q4-int8/onnx/model_q4.int8.onnx_data',
    ]);
    expect(derivedBytes(record)).toBe(1010);
  });
  it('a model without derived files (or a failed derivation) has none', () => {
    expect(derivedPaths(undefined)).toEqual([]);
    expect(
      derivedBytes({ q4Int8: [], failure: { code: 'internal', message: '', details: {} } }),
    ).toBe(0);
  });
});
