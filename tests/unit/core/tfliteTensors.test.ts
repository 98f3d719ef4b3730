// Reading a TFLite flatbuffer: tensors, shape signatures, custom ops, and which
// outputs only get their size at run time (those LiteRT.js cannot run).

import { describe, expect, it } from 'vitest';
import { runTimeShapedOutput, tfliteTensors } from '../../../src/core/tfliteTensors';
import { BuiltinOp, encodeTfliteModel, tileModel } from '../../../tools/tflite/tfliteModel';

describe('tfliteTensors', () => {
  it('reads a generated model back', () => {
    const summary = tfliteTensors(tileModel({ dynamic: true }));
    expect(summary.inputs.map((t) => [t.name, t.type, t.shape])).toEqual([
      ['x', 'float32', [2]],
      ['multiples', 'int32', [1]],
    ]);
    expect(summary.outputs).toEqual([
      { name: 'y', type: 'float32', shape: [2], shapeSignature: [-1] },
    ]);
    expect(summary.customOps).toEqual([]);
  });

  it('names custom ops', () => {
    const bytes = encodeTfliteModel({
      tensors: [
        { name: 'a', type: 'float32', shape: [4] },
        { name: 'b', type: 'float32', shape: [4] },
      ],
      inputs: [0],
      outputs: [1],
      operators: [
        {
          builtin: BuiltinOp.custom,
          custom: 'TFLite_Detection_PostProcess',
          inputs: [0],
          outputs: [1],
        },
      ],
    });
    expect(tfliteTensors(bytes).customOps).toEqual(['TFLite_Detection_PostProcess']);
  });

  it.each([
    { name: 'a bare file', bytes: new Uint8Array(16) },
    { name: 'a short file', bytes: new Uint8Array(3) },
  ])('refuses $name', ({ bytes }) => {
    expect(() => tfliteTensors(bytes)).toThrow('not a TFLite model');
  });
});

const t = (shape: number[], shapeSignature?: number[]) => ({
  name: 't',
  type: 'float32',
  shape,
  ...(shapeSignature ? { shapeSignature } : {}),
});

describe('runTimeShapedOutput', () => {
  it.each([
    { name: 'fixed shapes', inputs: [t([1, 4])], outputs: [t([1, 2])], shaped: false },
    {
      name: 'batch -1 in and out (the embedder)',
      inputs: [t([1, 256], [-1, 256])],
      outputs: [t([1, 16], [-1, 16])],
      shaped: false,
    },
    {
      name: 'an output of unknown length (tile)',
      inputs: [t([2])],
      outputs: [t([2], [-1])],
      shaped: true,
    },
    {
      name: 'a -1 past the batch',
      inputs: [t([1, 4], [-1, 4])],
      outputs: [t([1, 1], [-1, -1])],
      shaped: true,
    },
    {
      name: 'batch -1 out with fixed inputs',
      inputs: [t([1, 4])],
      outputs: [t([1, 2], [-1, 2])],
      shaped: true,
    },
  ])('$name → $shaped', ({ inputs, outputs, shaped }) => {
    expect(runTimeShapedOutput({ inputs, outputs, customOps: [] }) !== null).toBe(shaped);
  });
});
