// A small, realistic test catalog for the planner: each model as the planner
// sees it (manifest variants + file sizes). Sizes follow the real exports they
// are modelled on (see docs/planner.md); hashes and chunks are irrelevant here.

import type { PlannerModel, PlannerVariant } from '../../../src/core/planner';

const MB = 1_000_000;
const MiB = 1024 * 1024;

const tokenizerFiles = [
  { path: 'config.json', size: 700 },
  { path: 'generation_config.json', size: 140 },
  { path: 'tokenizer_config.json', size: 3_700 },
  { path: 'tokenizer.json', size: 2_100_000 },
];
const tokenizerPaths = tokenizerFiles.map((f) => f.path);

function variant(v: Omit<PlannerVariant, 'requiredFeatures'> & Partial<PlannerVariant>) {
  return { requiredFeatures: [], ...v };
}

/** The demo model: the llama2.c TinyStories 260K converted for transformers.js, fp32 on wasm. */
export const stories260k: PlannerModel = {
  id: 'stories260k',
  framework: 'transformers',
  task: 'text-generation',
  sizeBytes: 1_124_264,
  files: [
    { path: 'config.json', size: 600 },
    { path: 'tokenizer.json', size: 9_000 },
    { path: 'tokenizer_config.json', size: 500 },
    { path: 'onnx/model.onnx', size: 1_114_000 },
  ],
  variants: [
    variant({
      backend: 'wasm',
      dtype: 'fp32',
      memoryBytes: 16 * MiB,
      files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'],
    }),
  ],
};

/**
 * Shaped like onnx-community/SmolLM2-135M-Instruct: one graph per dtype, embeddings the largest tensor.
 * No hand-set memoryBytes: the planner estimates peaks from file sizes (memoryRatios.ts).
 */
export const smollm2: PlannerModel = {
  id: 'smollm2-135m-instruct',
  framework: 'transformers',
  task: 'text-generation',
  sizeBytes: 2_100_000 + 118 * MB + 271 * MB + 175 * MB + 138 * MB,
  files: [
    ...tokenizerFiles,
    { path: 'onnx/model_q4f16.onnx', size: 118 * MB },
    { path: 'onnx/model_fp16.onnx', size: 271 * MB },
    { path: 'onnx/model_q4.onnx', size: 175 * MB },
    { path: 'onnx/model_quantized.onnx', size: 138 * MB },
  ],
  variants: [
    variant({
      backend: 'webgpu',
      dtype: 'q4f16',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_q4f16.onnx'],
      largestTensorBytes: 57 * MB,
    }),
    variant({
      backend: 'webgpu',
      dtype: 'fp16',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_fp16.onnx'],
      largestTensorBytes: 57 * MB,
    }),
    variant({
      backend: 'webgpu',
      dtype: 'q4',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_q4.onnx'],
      largestTensorBytes: 113 * MB,
    }),
    variant({
      backend: 'wasm',
      dtype: 'q8',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_quantized.onnx'],
      largestTensorBytes: 28 * MB,
    }),
    variant({
      backend: 'wasm',
      dtype: 'q4',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_q4.onnx'],
      largestTensorBytes: 113 * MB,
    }),
  ],
};

/**
 * A 0.8B-parameter chat model (sizes made up, not a real export's): its q8
 * file (900 MB, about 1.9 GB at peak by the measured ratio) is over an iPhone
 * or iPad tab's 1.5 GB; its q4 (350 MB, about 0.8 GB: rewritten to int8 at
 * install, about q8's memory per file byte) fits.
 */
export const midLlm: PlannerModel = {
  id: 'mid-0.8b-instruct',
  framework: 'transformers',
  task: 'text-generation',
  sizeBytes: 2_100_000 + 450 * MB + 1_600 * MB + 350 * MB + 900 * MB,
  files: [
    ...tokenizerFiles,
    { path: 'onnx/model_q4f16.onnx', size: 450 * MB },
    { path: 'onnx/model_fp16.onnx', size: 1_600 * MB },
    { path: 'onnx/model_q4.onnx', size: 350 * MB },
    { path: 'onnx/model_quantized.onnx', size: 900 * MB },
  ],
  variants: [
    variant({
      backend: 'webgpu',
      dtype: 'q4f16',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_q4f16.onnx'],
      largestTensorBytes: 95 * MB,
    }),
    variant({
      backend: 'webgpu',
      dtype: 'fp16',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_fp16.onnx'],
      largestTensorBytes: 95 * MB,
    }),
    variant({
      backend: 'wasm',
      dtype: 'q8',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_quantized.onnx'],
      largestTensorBytes: 48 * MB,
    }),
    variant({
      backend: 'wasm',
      dtype: 'q4',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_q4.onnx'],
      largestTensorBytes: 95 * MB,
    }),
  ],
};

/** The MNIST classifier from ../shared/models (ONNX, 26 kB), on wasm or WebGPU. */
export const mnist: PlannerModel = {
  id: 'mnist',
  framework: 'onnx',
  task: 'image-classification',
  sizeBytes: 26_454,
  files: [{ path: 'mnist-12.onnx', size: 26_454 }],
  variants: [
    variant({ backend: 'wasm', dtype: 'fp32', memoryBytes: 2 * MB, files: ['mnist-12.onnx'] }),
    variant({ backend: 'webgpu', dtype: 'fp32', memoryBytes: 2 * MB, files: ['mnist-12.onnx'] }),
  ],
};

/** A MobileNet v2 TFLite classifier: float on WebGPU or wasm (LiteRT.js), int8 on wasm. */
export const mobilenetTflite: PlannerModel = {
  id: 'mobilenet-v2-tflite',
  framework: 'tflite',
  task: 'image-classification',
  sizeBytes: 13_978_596 + 3_577_760,
  files: [
    { path: 'mobilenet_v2_1.0_224.tflite', size: 13_978_596 },
    { path: 'mobilenet_v2_1.0_224_quant.tflite', size: 3_577_760 },
  ],
  variants: [
    variant({
      backend: 'webgpu',
      dtype: 'fp32',
      memoryBytes: 60 * MB,
      files: ['mobilenet_v2_1.0_224.tflite'],
    }),
    variant({
      backend: 'wasm',
      dtype: 'fp32',
      memoryBytes: 60 * MB,
      files: ['mobilenet_v2_1.0_224.tflite'],
    }),
    variant({
      backend: 'wasm',
      dtype: 'int8',
      memoryBytes: 20 * MB,
      files: ['mobilenet_v2_1.0_224_quant.tflite'],
    }),
  ],
};

/**
 * A 1.5B-parameter chat model (shaped like Qwen2.5-1.5B-Instruct's ONNX export)
 * whose smallest file is 1.25 GB, about 4.8 GB at peak by the measured ratio: too big
 * for any iPhone or iPad tab.
 * Its q4 variant lists no tensor sizes, so the planner bounds them by its data file.
 */
export const bigLlm: PlannerModel = {
  id: 'qwen2.5-1.5b-instruct',
  framework: 'transformers',
  task: 'text-generation',
  sizeBytes: 2_100_000 + 1_250 * MB + 1_300 * MB + 1_800 * MB + 3 * MB,
  files: [
    ...tokenizerFiles,
    { path: 'onnx/model_q4f16.onnx', size: 1 * MB },
    { path: 'onnx/model_q4f16.onnx_data', size: 1_250 * MB },
    { path: 'onnx/model_q4.onnx', size: 1 * MB },
    { path: 'onnx/model_q4.onnx_data', size: 1_300 * MB },
    { path: 'onnx/model_quantized.onnx', size: 1 * MB },
    { path: 'onnx/model_quantized.onnx_data', size: 1_800 * MB },
  ],
  variants: [
    variant({
      backend: 'webgpu',
      dtype: 'q4f16',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data'],
      largestTensorBytes: 467 * MB,
    }),
    variant({
      backend: 'webgpu',
      dtype: 'q4',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data'],
    }),
    variant({
      backend: 'wasm',
      dtype: 'q8',
      memoryBytes: 0,
      files: [...tokenizerPaths, 'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data'],
      largestTensorBytes: 233 * MB,
    }),
  ],
};

/** The browser's built-in model (Prompt API): nothing to download. */
export const builtinNano: PlannerModel = {
  id: 'builtin-prompt-api',
  framework: 'builtin',
  task: 'text-generation',
  sizeBytes: 0,
  files: [],
  variants: [variant({ backend: 'wasm', dtype: 'q4', memoryBytes: 0, files: [] })],
};

export const TEST_CATALOG: PlannerModel[] = [
  stories260k,
  smollm2,
  midLlm,
  mnist,
  mobilenetTflite,
  bigLlm,
  builtinNano,
];

/** A plan or refusal in one short string, e.g. `webgpu/q4f16`. */
export function variantKey(v: { backend: string; dtype: string }): string {
  return `${v.backend}/${v.dtype}`;
}
