// Shapes shared by the page and the inference workers: what to load, how to
// generate, and the interfaces every runtime (in its worker) and every engine
// (the page's handle on it) implement.

import type { Backend, Dtype } from '../core/manifest';
import type { PipelineTask } from '../core/tasks/pipelineTask';
import type { NamedTensors, TensorData, TensorInfo } from './tensorData';

export type { NamedTensors, TensorArray, TensorData, TensorInfo, TensorType } from './tensorData';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerationSettings {
  maxNewTokens: number;
  /** 0 means greedy decoding. */
  temperature: number;
  topP: number;
  topK: number;
  repetitionPenalty: number;
}

export const DEFAULT_GENERATION: GenerationSettings = {
  maxNewTokens: 128,
  temperature: 0,
  topP: 0.9,
  topK: 40,
  repetitionPenalty: 1,
};

// Where a model runs: one type, the manifest's, for the planner and the runtimes alike.
export type { Backend };

export type TextDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

/** Which stored text-generation model to load, and how. */
export interface LoadRequest {
  id: string;
  version: string;
  device: Backend;
  dtype: TextDtype;
  /**
   * How 4-bit (MatMulNBits) weights run on wasm: rewritten at load to per-channel
   * int8 (default), to fp32 MatMul, or 'off' as stored (see docs/runtimes.md).
   */
  q4Rewrite?: Q4RewriteTarget | 'off';
  /**
   * WASM threads, as the planner chose (one on Safari 26.2, for example); defaults
   * to what cross-origin isolation allows. onnxruntime reads it once per worker.
   */
  threads?: number;
  /** A load that takes longer gives `model-load-failed` and a fresh worker. */
  timeoutMs?: number;
}

export type Q4RewriteTarget = 'int8' | 'fp32';

/** Which stored tensor model (classifier, embedder, detector…) to load, and how. */
export interface TensorLoadRequest {
  id: string;
  version: string;
  device: Backend;
  /** The model file inside the package, e.g. `model.onnx`. */
  file: string;
  /** ONNX external-data files (paths inside the package, as the graph names them). */
  externalData?: string[];
  /** WASM threads; defaults to what cross-origin isolation allows. */
  threads?: number;
  timeoutMs?: number;
  /**
   * Outputs that stay in the worker, where the backend computed them (GPU
   * buffers on WebGPU: IO binding), to be fed into a later run without a round
   * trip through the CPU; `run` leaves them out and `readKept` downloads one.
   * ONNX only. For models run step after step (a recurrent state, a cache).
   */
  keepOnDevice?: string[];
  /**
   * TFLite only: run on tfjs-tflite without trying LiteRT.js (the engine asks
   * for it after a LiteRT.js run failed), with `reason` for the load's note.
   */
  runtime?: 'tfjs-tflite';
  reason?: string;
}

export interface RunOptions {
  /** Inputs fed from outputs kept by the previous run: input name → kept output name. */
  feed?: Record<string, string>;
}

/** An output kept in the worker by `keepOnDevice`. */
export interface KeptOutput {
  name: string;
  type: string;
  dims: number[];
  /** Where its data lives: 'gpu-buffer' on WebGPU, 'cpu' on wasm. */
  location: string;
}

/** What a runtime reports once a model is ready. */
export interface LoadedModel {
  /** The library that runs it, e.g. `onnxruntime-web`, `litert`, `tfjs-tflite`. */
  runtime: string;
  /** The backend actually in use (a runtime may fall back). */
  backend: Backend;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Milliseconds from the request to a ready session, measured in the worker. */
  loadMs: number;
  /** Why a fallback was taken, if one was. */
  note?: string;
  /**
   * How the model's external data reached the runtime, in bytes: read from disk
   * range by range (no JS copy), or read whole into JS memory first (IndexedDB).
   */
  externalData?: { fromDiskBytes: number; inMemoryBytes: number };
}

export interface GenerationStats {
  /** The whole reply. */
  text: string;
  tokens: number;
  /** Milliseconds from the request to the first token. */
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  stoppedBy: 'eos' | 'max-tokens' | 'interrupted';
  /** Where the KV cache lived during generation ('gpu-buffer' on WebGPU). */
  kvCacheLocation?: string;
  /** How the prompt was fitted to the model's context window, where the runtime knows it. */
  context?: ContextUse;
}

export interface ContextUse {
  contextTokens: number;
  promptTokens: number;
  /** The oldest messages left out so that the prompt fits (never the system prompt). */
  droppedMessages: number;
}

/** How a text load went, for diagnostics and tests. */
export interface TextLoadReport {
  /**
   * A 4-bit model on wasm: which graph ran. 'derived': the int8 graph made at
   * install, read from OPFS; 'rewritten-at-load': rewritten in memory now;
   * 'stored': the 4-bit graph as downloaded. Absent for other loads.
   */
  q4Graph?: 'derived' | 'rewritten-at-load' | 'stored';
  /** Graphs the load-time rewrite changed during this load. */
  loadTimeRewrites: number;
  /** Why derived files were not used, when the load looked for them. */
  derivedRejected?: string;
}

/** What a text-generation worker exposes. */
export interface TextRuntime {
  load(request: LoadRequest): Promise<TextLoadReport>;
  /**
   * `stopFlag`, when given, is a shared Int32Array the page sets to 1 to stop:
   * a worker busy generating may not read messages until it yields.
   */
  generate(
    messages: ChatMessage[],
    settings: GenerationSettings,
    onText: (text: string) => void,
    stopFlag?: Int32Array,
  ): Promise<GenerationStats>;
  interrupt(): void;
  unload(): Promise<void>;
}

/** What a tensor-model worker (ONNX, TFLite) exposes. */
export interface TensorRuntime {
  load(request: TensorLoadRequest): Promise<LoadedModel>;
  run(inputs: NamedTensors, options?: RunOptions): Promise<NamedTensors>;
  /** The outputs the last run kept (see `keepOnDevice`). */
  keptOutputs(): Promise<KeptOutput[]>;
  /** A kept output's values, downloaded to the CPU (it stays kept). */
  readKept(name: string): Promise<TensorData>;
  unload(): Promise<void>;
}

export type { PipelineTask };

/** Which stored Hub model to load as a transformers.js pipeline, and how. */
export interface PipelineLoadRequest {
  id: string;
  version: string;
  task: PipelineTask;
  device: Backend;
  dtype: Dtype;
  timeoutMs?: number;
}

/** What the pipeline worker reports once a pipeline is ready. */
export interface LoadedPipeline {
  runtime: 'transformers.js';
  task: PipelineTask;
  backend: Backend;
  dtype: Dtype;
  /** Milliseconds from the request to a ready pipeline, measured in the worker. */
  loadMs: number;
}

/** A photo as RGBA pixels, row by row (what a canvas's `getImageData` gives). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export type PipelineInput =
  | { task: 'feature-extraction'; texts: string[] }
  | { task: 'image-classification'; image: RgbaImage; topK: number }
  | { task: 'object-detection'; image: RgbaImage; threshold: number };

export interface LabelScore {
  label: string;
  score: number;
}

export interface Detection extends LabelScore {
  /** Corners as fractions (0..1) of the photo's width and height. */
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

export type PipelineOutput =
  /** One mean-pooled, L2-normalized vector per text. */
  | { task: 'feature-extraction'; vectors: number[][] }
  /** Best first. */
  | { task: 'image-classification'; labels: LabelScore[] }
  | { task: 'object-detection'; detections: Detection[] };

/** What the transformers.js worker exposes for task pipelines (beside `TextRuntime`). */
export interface PipelineRuntime {
  loadPipeline(request: PipelineLoadRequest): Promise<LoadedPipeline>;
  runPipeline(input: PipelineInput): Promise<PipelineOutput>;
  unload(): Promise<void>;
}

export interface GenerationHandle {
  /** Text pieces as they are produced. */
  text: AsyncIterable<string>;
  /** Settles when generation ends, with its figures. */
  done: Promise<GenerationStats>;
}

/** The page's handle on any runtime: load a model, release it. */
export interface Engine<Request, Loaded> {
  load(request: Request): Promise<Loaded>;
  /** Frees the model and ends the worker. */
  unload(): Promise<void>;
}

// biome-ignore lint/suspicious/noConfusingVoidType: the built-in engine's load resolves to nothing.
export interface TextEngine extends Engine<LoadRequest, TextLoadReport | void> {
  generate(messages: ChatMessage[], settings: GenerationSettings): GenerationHandle;
  interrupt(): Promise<void>;
}

export interface PipelineEngine extends Engine<PipelineLoadRequest, LoadedPipeline> {
  /** Runs the loaded pipeline; image pixels are transferred to the worker (detached here). */
  run(input: PipelineInput): Promise<PipelineOutput>;
}

export interface TensorEngine extends Engine<TensorLoadRequest, LoadedModel> {
  /** Runs the loaded model. Input buffers are transferred to the worker (detached here). */
  run(inputs: NamedTensors, options?: RunOptions): Promise<NamedTensors>;
  keptOutputs(): Promise<KeptOutput[]>;
  readKept(name: string): Promise<TensorData>;
}
