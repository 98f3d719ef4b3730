// The page's handle on a text-generation runtime living in a worker: loads a
// model, streams tokens as an async iterable, stops on request. A worker that
// died or was ended for idleness is replaced and the model reloaded on the
// next call.

import { proxy } from 'comlink';
import { WorkerBridge } from '../bridge/workerBridge';
import { AppError } from '../core/errors';
import { OrtWorkerSetups } from '../core/ortBuild';
import type {
  ChatMessage,
  GenerationHandle,
  GenerationSettings,
  GenerationStats,
  LoadRequest,
  TextEngine,
  TextLoadReport,
  TextRuntime,
} from './types';

export type { GenerationHandle, TextEngine } from './types';

export interface WorkerTextEngineOptions {
  /** Creates the worker (tests pass their own to kill it from outside). */
  create?: (name: string) => Worker;
  idleMs?: number;
  /** Default time limit for a load. */
  loadTimeoutMs?: number;
}

const DEFAULT_LOAD_TIMEOUT_MS = 5 * 60_000;

export function createTransformersWorker(name: string): Worker {
  return new Worker(new URL('../../workers/transformers.worker.ts', import.meta.url), {
    type: 'module',
    name,
  });
}

export class WorkerTextEngine implements TextEngine {
  private readonly bridge: WorkerBridge<TextRuntime>;
  private loaded: { request: LoadRequest; generation: number } | null = null;
  private stopFlag: Int32Array | null = null;
  private readonly setups = new OrtWorkerSetups();

  constructor(private readonly options: WorkerTextEngineOptions = {}) {
    this.bridge = new WorkerBridge<TextRuntime>({
      name: 'inference-transformers',
      create: options.create ?? createTransformersWorker,
      idleMs: options.idleMs ?? 10 * 60_000,
    });
  }

  /** Resolves with how the load went (which 4-bit graph ran, for example). */
  async load(request: LoadRequest): Promise<TextLoadReport> {
    const timeoutMs = request.timeoutMs ?? this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
    this.loaded = null;
    this.setups.beforeLoad(request, this.bridge);
    const report = await this.bridge.call((remote) => remote.load(request), {
      timeoutMs,
      timeoutError: {
        code: 'model-load-failed',
        details: { id: request.id, version: request.version },
      },
    });
    this.loaded = { request, generation: this.bridge.generation };
    return report;
  }

  generate(messages: ChatMessage[], settings: GenerationSettings): GenerationHandle {
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    // Shared memory lets a stop reach a worker that is too busy to read messages.
    // Some engines (WebKitGTK) lack SharedArrayBuffer even when cross-origin isolated.
    const stopFlag =
      self.crossOriginIsolated && typeof SharedArrayBuffer === 'function'
        ? new Int32Array(new SharedArrayBuffer(4))
        : null;
    this.stopFlag = stopFlag;
    const done = this.bridge
      .call(async (remote) => {
        await this.reloadIfReplaced();
        return remote.generate(
          messages,
          settings,
          proxy((piece: string) => {
            queue.push(piece);
            wake?.();
          }),
          stopFlag ?? undefined,
        );
      })
      .finally(() => {
        finished = true;
        wake?.();
      });
    done.catch(() => {});
    async function* text(): AsyncGenerator<string> {
      let shown = '';
      for (;;) {
        const piece = queue.shift();
        if (piece !== undefined) {
          shown += piece;
          yield piece;
          continue;
        }
        if (finished) {
          // Pieces travel on their own channel and may trail the final answer:
          // the reply in the result is authoritative, so show what is missing.
          const { text } = await done;
          if (text.startsWith(shown) && text.length > shown.length) yield text.slice(shown.length);
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    }
    return { text: text(), done: done as Promise<GenerationStats> };
  }

  async interrupt(): Promise<void> {
    if (this.stopFlag) Atomics.store(this.stopFlag, 0, 1);
    await this.bridge.now((remote) => Promise.resolve(remote.interrupt()));
  }

  async unload(): Promise<void> {
    this.loaded = null;
    if (!this.bridge.running) return;
    await this.bridge.call((remote) => remote.unload()).catch(() => {});
    this.bridge.terminate('unloaded');
  }

  /** The model lives in the worker: a new worker needs it loaded again. */
  private async reloadIfReplaced(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) throw new AppError('model-not-installed', { reason: 'no model loaded' });
    if (loaded.generation === this.bridge.generation) return;
    // Already inside a queued call: talk to the worker directly.
    await this.bridge.now((remote) => remote.load(loaded.request));
    this.loaded = { request: loaded.request, generation: this.bridge.generation };
  }
}
