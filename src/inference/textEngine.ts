// The page's handle on a text-generation runtime living in a worker. It owns
// the worker's life: starts it on first use, streams tokens as an async
// iterable, and replaces a crashed worker with a fresh one on the next call.

import { proxy, type Remote, releaseProxy, wrap } from 'comlink';
import '../bridge/transferErrors';
import { AppError } from '../core/errors';
import type {
  ChatMessage,
  GenerationSettings,
  GenerationStats,
  LoadRequest,
  TextRuntime,
} from './types';

export interface GenerationHandle {
  /** Text pieces as they are produced. */
  text: AsyncIterable<string>;
  /** Settles when generation ends, with its figures. */
  done: Promise<GenerationStats>;
}

export interface TextEngine {
  load(request: LoadRequest): Promise<void>;
  generate(messages: ChatMessage[], settings: GenerationSettings): GenerationHandle;
  interrupt(): Promise<void>;
  unload(): Promise<void>;
}

export class WorkerTextEngine implements TextEngine {
  private worker: Worker | null = null;
  private remote: Remote<TextRuntime> | null = null;
  private crash: Promise<never> | null = null;

  private start(): Remote<TextRuntime> {
    if (this.remote) return this.remote;
    const worker = new Worker(new URL('../../workers/transformers.worker.ts', import.meta.url), {
      type: 'module',
      name: 'inference-transformers',
    });
    // A worker that dies (out of memory, a runtime abort) never answers again:
    // turn its error event into a rejection of whatever call is waiting.
    this.crash = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => {
        reject(new AppError('runtime-crashed', { cause: event.message || 'worker error' }));
        this.reset();
      });
    });
    this.crash.catch(() => {});
    this.worker = worker;
    this.remote = wrap<TextRuntime>(worker);
    return this.remote;
  }

  private reset() {
    this.remote?.[releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.crash = null;
  }

  private guarded<T>(call: Promise<T>): Promise<T> {
    return this.crash ? Promise.race([call, this.crash]) : call;
  }

  async load(request: LoadRequest): Promise<void> {
    const remote = this.start();
    await this.guarded(remote.load(request));
  }

  generate(messages: ChatMessage[], settings: GenerationSettings): GenerationHandle {
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    const remote = this.start();
    const done = this.guarded(
      remote.generate(
        messages,
        settings,
        proxy((piece: string) => {
          queue.push(piece);
          wake?.();
        }),
      ),
    ).finally(() => {
      finished = true;
      wake?.();
    });
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
    return { text: text(), done };
  }

  async interrupt(): Promise<void> {
    await this.remote?.interrupt();
  }

  async unload(): Promise<void> {
    if (!this.remote) return;
    await this.remote.unload();
    this.reset();
  }
}
