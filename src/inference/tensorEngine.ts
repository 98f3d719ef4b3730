// The page's handle on a tensor model (ONNX or TFLite) in its worker: load a
// stored model, run it on plain typed arrays. A worker that died or was ended
// for idleness is replaced, and the model reloaded, on the next run.

import { transfer } from 'comlink';
import { WorkerBridge } from '../bridge/workerBridge';
import { AppError } from '../core/errors';
import { type NamedTensors, tensorBuffers } from './tensorData';
import type {
  KeptOutput,
  LoadedModel,
  RunOptions,
  TensorData,
  TensorEngine,
  TensorLoadRequest,
  TensorRuntime,
} from './types';

export type TensorFramework = 'onnx' | 'tflite';

export interface WorkerTensorEngineOptions {
  /** Creates the worker (tests pass their own to kill it from outside). */
  create?: (name: string) => Worker;
  idleMs?: number;
  loadTimeoutMs?: number;
}

const DEFAULT_LOAD_TIMEOUT_MS = 5 * 60_000;

export function createOnnxWorker(name: string): Worker {
  return new Worker(new URL('../../workers/onnx.worker.ts', import.meta.url), {
    type: 'module',
    name,
  });
}

export class WorkerTensorEngine implements TensorEngine {
  private readonly bridge: WorkerBridge<TensorRuntime>;
  private loaded: { request: TensorLoadRequest; generation: number } | null = null;

  constructor(
    readonly framework: TensorFramework,
    create: (name: string) => Worker,
    private readonly options: WorkerTensorEngineOptions = {},
  ) {
    this.bridge = new WorkerBridge<TensorRuntime>({
      name: `inference-${framework}`,
      create: options.create ?? create,
      idleMs: options.idleMs ?? 10 * 60_000,
    });
  }

  /** Whether a worker is running now (false once a dead worker has been noticed). */
  get running(): boolean {
    return this.bridge.running;
  }

  async load(request: TensorLoadRequest): Promise<LoadedModel> {
    this.loaded = null;
    const info = await this.bridge.call((remote) => remote.load(request), this.loadLimits(request));
    this.loaded = { request, generation: this.bridge.generation };
    return info;
  }

  run(inputs: NamedTensors, options: RunOptions = {}): Promise<NamedTensors> {
    const loaded = this.loaded;
    if (!loaded)
      return Promise.reject(new AppError('model-not-installed', { reason: 'no model loaded' }));
    return this.bridge.call(async (remote) => {
      if (loaded.generation !== this.bridge.generation) {
        // The worker was replaced since the load: bring the model back first
        // (outputs it kept died with it: a run fed from them fails, typed).
        await remote.load(loaded.request);
        this.loaded = { request: loaded.request, generation: this.bridge.generation };
      }
      return remote.run(transfer(inputs, tensorBuffers(inputs)), options);
    });
  }

  keptOutputs(): Promise<KeptOutput[]> {
    if (!this.loaded || !this.bridge.running) return Promise.resolve([]);
    return this.bridge.call((remote) => remote.keptOutputs());
  }

  readKept(name: string): Promise<TensorData> {
    if (!this.loaded || !this.bridge.running) {
      return Promise.reject(
        new AppError('inference-failed', { reason: `no kept output "${name}"` }),
      );
    }
    return this.bridge.call((remote) => remote.readKept(name));
  }

  async unload(): Promise<void> {
    this.loaded = null;
    if (!this.bridge.running) return;
    await this.bridge.call((remote) => remote.unload()).catch(() => {});
    this.bridge.terminate('unloaded');
  }

  private loadLimits(request: TensorLoadRequest) {
    return {
      timeoutMs: request.timeoutMs ?? this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
      timeoutError: {
        code: 'model-load-failed' as const,
        details: { id: request.id, version: request.version, file: request.file },
      },
    };
  }
}

/** An engine for ONNX models, each in its own worker. */
export function createOnnxEngine(options: WorkerTensorEngineOptions = {}): WorkerTensorEngine {
  return new WorkerTensorEngine('onnx', createOnnxWorker, options);
}
