// The page's handle on a tensor model (ONNX or TFLite) in its worker: load a
// stored model, run it on plain typed arrays. A worker that died or was ended
// for idleness is replaced, and the model reloaded, on the next run. A TFLite
// run that fails on LiteRT.js is run again on tfjs-tflite, in a fresh worker.

import { transfer } from 'comlink';
import { WorkerBridge } from '../bridge/workerBridge';
import { AppError } from '../core/errors';
import { OrtWorkerSetups } from '../core/ortBuild';
import { type NamedTensors, ownedTensor, tensorBuffers } from './tensorData';
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
  private loaded: {
    request: TensorLoadRequest;
    generation: number;
    info: LoadedModel;
  } | null = null;
  private readonly setups = new OrtWorkerSetups();

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
    this.setups.beforeLoad(request, this.bridge);
    const info = await this.bridge.call((remote) => remote.load(request), this.loadLimits(request));
    this.loaded = { request, generation: this.bridge.generation, info };
    return info;
  }

  /** What the last load reported (after a fallback, the runtime that took over). */
  get current(): LoadedModel | null {
    return this.loaded?.info ?? null;
  }

  async run(inputs: NamedTensors, options: RunOptions = {}): Promise<NamedTensors> {
    const loaded = this.loaded;
    if (!loaded) throw new AppError('model-not-installed', { reason: 'no model loaded' });
    // Inputs are transferred (detached here): keep a copy while a fallback may need them.
    const copy = loaded.info.runtime === 'litert' ? copyTensors(inputs) : null;
    try {
      return await this.runLoaded(loaded, inputs, options);
    } catch (error) {
      if (
        !copy ||
        !AppError.is(error, 'runtime-crashed') ||
        error.details.fallback !== 'tfjs-tflite'
      )
        throw error;
      // The bridge has ended the worker whose LiteRT.js run failed; a fresh one
      // loads the model on tfjs-tflite and runs the same inputs once more.
      const request: TensorLoadRequest = {
        ...loaded.request,
        runtime: 'tfjs-tflite',
        reason: `a LiteRT.js run failed: ${String(error.details.reason ?? error.message)}`,
      };
      await this.load(request);
      const again = this.loaded;
      if (!again) throw error;
      return this.runLoaded(again, copy, options);
    }
  }

  private runLoaded(
    loaded: NonNullable<WorkerTensorEngine['loaded']>,
    inputs: NamedTensors,
    options: RunOptions,
  ): Promise<NamedTensors> {
    return this.bridge.call(async (remote) => {
      if (loaded.generation !== this.bridge.generation) {
        // The worker was replaced since the load: bring the model back first
        // (outputs it kept died with it: a run fed from them fails, typed).
        const info = await remote.load(loaded.request);
        this.loaded = { request: loaded.request, generation: this.bridge.generation, info };
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

function copyTensors(inputs: NamedTensors): NamedTensors {
  const out: NamedTensors = {};
  for (const [name, t] of Object.entries(inputs)) {
    out[name] = ownedTensor(t.type, [...t.dims], t.data.slice());
  }
  return out;
}

/** An engine for ONNX models, each in its own worker. */
export function createOnnxEngine(options: WorkerTensorEngineOptions = {}): WorkerTensorEngine {
  return new WorkerTensorEngine('onnx', createOnnxWorker, options);
}
