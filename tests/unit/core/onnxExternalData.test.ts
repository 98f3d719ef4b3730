import { describe, expect, it } from 'vitest';
import { externalDataFor, onnxGraphsFor } from '../../../src/core/onnxExternalData';

const PACKAGE = [
  'config.json',
  'tokenizer.json',
  'onnx/model.onnx',
  'onnx/model.onnx_data',
  'onnx/model_quantized.onnx',
  'onnx/model_quantized.onnx_data',
  'onnx/model_q4.onnx',
  'onnx/model_q4.onnx_data',
  'onnx/model_q4.onnx_data_1',
  'onnx/model_q4f16.onnx',
  'onnx/model_q4f16.onnx_data',
  'onnx/decoder_model_merged_fp16.onnx_data',
];

describe('externalDataFor', () => {
  it.each([
    ['fp32', ['onnx/model.onnx_data']],
    ['q8', ['onnx/model_quantized.onnx_data']],
    ['q4', ['onnx/model_q4.onnx_data', 'onnx/model_q4.onnx_data_1']],
    ['q4f16', ['onnx/model_q4f16.onnx_data']],
    ['fp16', ['onnx/decoder_model_merged_fp16.onnx_data']],
    ['int8', []],
  ])('%s → %j', (dtype, expected) => {
    expect(externalDataFor(PACKAGE, dtype).map((f) => f.path)).toEqual(expected);
  });

  it('mounts each file under its base name, as the graph names it', () => {
    expect(externalDataFor(['onnx/model_q4.onnx_data_2'], 'q4')).toEqual([
      { path: 'onnx/model_q4.onnx_data_2', mountAs: 'model_q4.onnx_data_2' },
    ]);
  });

  it.each([
    ['a model without external data', ['onnx/model_quantized.onnx', 'config.json']],
    ['a name that only looks alike', ['onnx/model_quantized.onnx_database', 'notes.onnx_data.txt']],
  ])('finds nothing in %s', (_what, paths) => {
    expect(externalDataFor(paths, 'q8')).toEqual([]);
  });
});

describe('onnxGraphsFor', () => {
  it.each([
    ['q4', ['onnx/model_q4.onnx']],
    ['q4f16', ['onnx/model_q4f16.onnx']],
    ['q8', ['onnx/model_quantized.onnx']],
    ['fp32', ['onnx/model.onnx']],
    ['fp16', []],
  ])('%s → %j (never its data files)', (dtype, expected) => {
    expect(onnxGraphsFor(PACKAGE, dtype)).toEqual(expected);
  });
});
