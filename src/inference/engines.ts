// One place that maps a model's framework to the engine that runs it: every
// runtime the app ships (and whose worker and `.wasm` the build must include).

import { BuiltinTextEngine } from './builtinEngine';
import { WorkerPipelineEngine, type WorkerPipelineEngineOptions } from './pipelineEngine';
import { createOnnxEngine, type WorkerTensorEngineOptions } from './tensorEngine';
import { WorkerTextEngine, type WorkerTextEngineOptions } from './textEngine';
import { createTfliteEngine } from './tfliteEngine';
import type { PipelineEngine, TensorEngine, TextEngine } from './types';

export type TextFramework = 'transformers' | 'builtin';
export type TensorFramework = 'onnx' | 'tflite';

export function createTextEngine(
  framework: TextFramework,
  options: WorkerTextEngineOptions = {},
): TextEngine {
  return framework === 'builtin' ? new BuiltinTextEngine() : new WorkerTextEngine(options);
}

export function createTensorEngine(
  framework: TensorFramework,
  options: WorkerTensorEngineOptions = {},
): TensorEngine {
  return framework === 'tflite' ? createTfliteEngine(options) : createOnnxEngine(options);
}

/** transformers.js task pipelines (Hub models: embeddings, image classification, detection). */
export function createPipelineEngine(options: WorkerPipelineEngineOptions = {}): PipelineEngine {
  return new WorkerPipelineEngine(options);
}
