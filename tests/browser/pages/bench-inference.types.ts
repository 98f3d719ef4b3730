// Shapes shared by the inference benchmark (tests/bench/inference.bench.ts), its
// harness page and the page's load-timing worker.

import type { TextDtype } from '../../../src/inference/types';

export interface GenerationRequest {
  prompt: string;
  maxNewTokens: number;
}

/** One generation, timed where it runs: TTFT from the call, decode rate after the first token. */
export interface GenerationRun {
  tokens: number;
  /** Milliseconds from the request to the first new token. */
  ttftMs: number;
  /** New tokens after the first, per second of the time after the first. */
  tokensPerSec: number;
  /** Milliseconds from the call to its end, seen by the page. */
  totalMs: number;
  /** Ours only: when the first text reached the page (includes the worker hop). */
  pageFirstTextMs?: number;
  text: string;
}

export interface OursRequest extends GenerationRequest {
  id: string;
  version: string;
  dtype: TextDtype;
}

export interface BaselineRequest extends GenerationRequest {
  /** The model server's base URL, ending in `/`. */
  remoteHost: string;
  /** `<id>/<version>`: the folder under remoteHost. */
  model: string;
  dtype: TextDtype;
  threads: number;
}

export interface LoadRequestForBench {
  id: string;
  version: string;
  dtype: TextDtype;
  /** Package paths (for reading them into memory first). */
  files: string[];
  /** The ONNX file and its external data, for the onnxruntime-only figures. */
  onnxFile: string;
  externalData: string[];
}

/** Milliseconds of each way from stored bytes to a ready session, one sample each. */
export interface LoadSample {
  /** TransformersRuntime.load reading the stored files from OPFS (the app's path). */
  opfs: number;
  /** The same TransformersRuntime.load, every file already in memory as a Uint8Array. */
  memory: number;
  /** The load baseline: onnxruntime-web's InferenceSession.create from Uint8Arrays already in memory (read before timing). */
  ortMemory: number;
  /** onnxruntime-web alone, given the OPFS files (model bytes read first, external data as a File). */
  ortOpfsFile: number;
  /** Reading every stored file into an ArrayBuffer (File.arrayBuffer), nothing else. */
  opfsRead: number;
}

export interface BenchWorkerApi {
  threads(): number;
  /** transformers.js and this worker's `onnxruntime-web/webgpu` import are one module. */
  sameOrt(): boolean;
  /** One sample of every way; `sample` rotates their order. */
  loadSample(request: LoadRequestForBench, sample: number): Promise<LoadSample>;
  /** Profile mode: TransformersRuntime called in this worker, without the page hop. */
  runtimeGenerate(request: OursRequest): Promise<GenerationRun>;
  /** Profile mode: the baseline's pipeline code in this worker, reading OPFS. */
  pipelineGenerate(request: OursRequest): Promise<GenerationRun>;
  unloadProfiles(dtype: TextDtype): Promise<void>;
}
