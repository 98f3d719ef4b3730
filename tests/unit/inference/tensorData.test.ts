// Tensors crossing the worker boundary: checked against their type and dims,
// and transferred by their own buffers only.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import {
  checkTensor,
  ownedTensor,
  type TensorData,
  tensorBuffers,
  tensorByteLength,
  tensorFromBytes,
} from '../../../src/inference/tensorData';

describe('checkTensor', () => {
  it.each<[string, TensorData, string | null]>([
    [
      'a float32 [1,1,28,28]',
      { type: 'float32', dims: [1, 1, 28, 28], data: new Float32Array(784) },
      null,
    ],
    ['an int64 [1,3]', { type: 'int64', dims: [1, 3], data: new BigInt64Array(3) }, null],
    ['float16 as 16-bit words', { type: 'float16', dims: [2], data: new Uint16Array(2) }, null],
    ['a scalar', { type: 'int32', dims: [], data: new Int32Array(1) }, null],
    [
      'the wrong array type',
      { type: 'int8', dims: [2], data: new Uint8Array(2) },
      'needs a Int8Array',
    ],
    [
      'too few values',
      { type: 'float32', dims: [2, 3], data: new Float32Array(5) },
      'hold 6 elements',
    ],
    ['a negative dim', { type: 'float32', dims: [-1, 3], data: new Float32Array(3) }, 'bad dims'],
  ])('%s', (_, tensor, problem) => {
    if (problem === null) {
      expect(() => checkTensor('x', tensor)).not.toThrow();
      return;
    }
    try {
      checkTensor('x', tensor);
      expect.unreachable();
    } catch (error) {
      expect(AppError.is(error, 'inference-failed')).toBe(true);
      expect(String((error as AppError).details.reason)).toContain(problem);
    }
  });
});

describe('tensorBuffers', () => {
  it('lists each buffer once and never shared memory', () => {
    const shared = new Float32Array(new ArrayBuffer(16));
    const tensors = {
      a: { type: 'float32', dims: [2], data: shared.subarray(0, 2) },
      b: { type: 'float32', dims: [2], data: shared.subarray(2, 4) },
      c: { type: 'int32', dims: [1], data: new Int32Array(new SharedArrayBuffer(4)) },
    } as const satisfies Record<string, TensorData>;
    expect(tensorBuffers(tensors)).toEqual([shared.buffer]);
  });
});

describe('ownedTensor', () => {
  it('keeps an array that owns its whole buffer, and copies a view into a bigger one', () => {
    const whole = new Float32Array([1, 2]);
    expect(ownedTensor('float32', [2], whole).data).toBe(whole);
    const view = new Float32Array([1, 2, 3, 4]).subarray(1, 3);
    const owned = ownedTensor('float32', [2], view);
    expect(owned.data).not.toBe(view);
    expect([...owned.data]).toEqual([2, 3]);
    expect(owned.data.buffer.byteLength).toBe(8);
  });
});

describe('tensors over raw bytes (a GPU buffer read back)', () => {
  it('counts bytes per element of each type', () => {
    expect(tensorByteLength('float32', [1, 4])).toBe(16);
    expect(tensorByteLength('float16', [3])).toBe(6);
    expect(tensorByteLength('int64', [2, 2])).toBe(32);
    expect(tensorByteLength('bool', [5])).toBe(5);
  });

  it('wraps the bytes in the array of the tensor type, without copying', () => {
    const bytes = new Float32Array([1.5, -2, 3, 4]).buffer;
    const t = tensorFromBytes('float32', [2, 2], bytes);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect([...(t.data as Float32Array)]).toEqual([1.5, -2, 3, 4]);
    expect(t.data.buffer).toBe(bytes);
    expect(t.dims).toEqual([2, 2]);
    expect(() => checkTensor('x', t)).not.toThrow();
  });
});
