// The page's handle on a transformers.js task pipeline (embeddings, image
// classification, object detection) in its own transformers.js worker. A worker
// that died or was ended for idleness is replaced, and the pipeline loaded
// again, on the next run.

import { transfer } from 'comlink';
import { WorkerBridge } from '../bridge/workerBridge';
import { AppError } from '../core/errors';
import { OrtWorkerSetups } from '../core/ortBuild';
import { createTransformersWorker } from './textEngine';
import type {
  LoadedPipeline,
  PipelineEngine,
  PipelineInput,
  PipelineLoadRequest,
  PipelineOutput,
  PipelineRuntime,
} from './types';

export interface WorkerPipelineEngineOptions {
  /** Creates the worker (tests pass their own to kill it from outside). */
  create?: (name: string) => Worker;
  idleMs?: number;
  loadTimeoutMs?: number;
}

const DEFAULT_LOAD_TIMEOUT_MS = 5 * 60_000;

export class WorkerPipelineEngine implements PipelineEngine {
  private readonly bridge: WorkerBridge<PipelineRuntime>;
  private loaded: { request: PipelineLoadRequest; generation: number } | null = null;
  private readonly setups = new OrtWorkerSetups();

  constructor(private readonly options: WorkerPipelineEngineOptions = {}) {
    // Its own worker (the same script as chat's): a task screen never waits on a reply.
    this.bridge = new WorkerBridge<PipelineRuntime>({
      name: 'inference-transformers-pipeline',
      create: options.create ?? createTransformersWorker,
      idleMs: options.idleMs ?? 10 * 60_000,
    });
  }

  async load(request: PipelineLoadRequest): Promise<LoadedPipeline> {
    this.loaded = null;
    this.setups.beforeLoad(request, this.bridge);
    try {
      const info = await this.bridge.call((remote) => remote.loadPipeline(request), {
        timeoutMs: request.timeoutMs ?? this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
        timeoutError: {
          code: 'model-load-failed',
          details: { id: request.id, version: request.version, task: request.task },
        },
      });
      this.loaded = { request, generation: this.bridge.generation };
      return info;
    } catch (error) {
      // A failed load can leave the runtime unusable for the next model (measured:
      // after a garbage model.onnx, a good model's load failed with the same
      // protobuf error in that worker), so the next load starts a fresh worker.
      if (this.bridge.running) this.bridge.terminate('a pipeline failed to load');
      throw error;
    }
  }

  run(input: PipelineInput): Promise<PipelineOutput> {
    const loaded = this.loaded;
    if (!loaded) {
      return Promise.reject(new AppError('model-not-installed', { reason: 'no model loaded' }));
    }
    return this.bridge.call(async (remote) => {
      if (loaded.generation !== this.bridge.generation) {
        // The worker was replaced since the load: bring the pipeline back first.
        await remote.loadPipeline(loaded.request);
        this.loaded = { request: loaded.request, generation: this.bridge.generation };
      }
      const buffers = 'image' in input ? [input.image.data.buffer as ArrayBuffer] : [];
      return remote.runPipeline(transfer(input, buffers));
    });
  }

  async unload(): Promise<void> {
    this.loaded = null;
    if (!this.bridge.running) return;
    await this.bridge.call((remote) => remote.unload()).catch(() => {});
    this.bridge.terminate('unloaded');
  }
}
