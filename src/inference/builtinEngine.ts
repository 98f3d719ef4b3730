// The browser's own model (the Prompt API, `LanguageModel`) behind the same
// TextEngine interface. Feature-detected; its availability is reported as the
// browser states it, and we never start its download: only a model the
// browser reports 'available' is used.

import { AppError } from '../core/errors';
import type {
  ChatMessage,
  GenerationHandle,
  GenerationSettings,
  GenerationStats,
  LoadRequest,
  TextEngine,
} from './types';

export type BuiltinAvailability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

/** The documented shape of the Prompt API that this adapter uses. */
export interface LanguageModelSession {
  promptStreaming(
    input: string,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<string> | ReadableStream<string>;
  destroy(): void;
}

export interface LanguageModelApi {
  availability(options?: Record<string, unknown>): Promise<BuiltinAvailability>;
  create(options?: {
    initialPrompts?: Array<{ role: ChatMessage['role']; content: string }>;
    temperature?: number;
    topK?: number;
    signal?: AbortSignal;
  }): Promise<LanguageModelSession>;
  params?(): Promise<{
    defaultTopK: number;
    maxTopK: number;
    defaultTemperature: number;
    maxTemperature: number;
  } | null>;
}

export interface BuiltinReport {
  availability: BuiltinAvailability;
  /** Why it is not usable, in words; absent when available. */
  reason?: string;
}

const REASONS: Record<Exclude<BuiltinAvailability, 'available'>, string> = {
  unavailable: 'The browser reports that its built-in model cannot run on this device.',
  downloadable: 'The browser has a built-in model but has not downloaded it yet.',
  downloading: 'The browser is downloading its built-in model.',
};

/** The Prompt API of this context, if it has one. */
export function findLanguageModel(scope: object = globalThis): LanguageModelApi | null {
  const api = (scope as { LanguageModel?: unknown }).LanguageModel;
  return api && typeof (api as LanguageModelApi).availability === 'function'
    ? (api as LanguageModelApi)
    : null;
}

/** What the browser says about its built-in model, honestly and without side effects. */
export async function detectBuiltinModel(
  api: LanguageModelApi | null = findLanguageModel(),
): Promise<BuiltinReport> {
  if (!api)
    return {
      availability: 'unavailable',
      reason: 'This browser has no Prompt API (LanguageModel).',
    };
  try {
    const availability = await api.availability();
    return availability === 'available'
      ? { availability }
      : { availability, reason: REASONS[availability] ?? `state ${availability}` };
  } catch (error) {
    return {
      availability: 'unavailable',
      reason: `The Prompt API failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

async function* chunksOf(
  stream: AsyncIterable<string> | ReadableStream<string>,
): AsyncGenerator<string> {
  if (Symbol.asyncIterator in stream) {
    yield* stream as AsyncIterable<string>;
    return;
  }
  const reader = (stream as ReadableStream<string>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export class BuiltinTextEngine implements TextEngine {
  private ready = false;
  private abort: AbortController | null = null;

  constructor(private readonly api: LanguageModelApi | null = findLanguageModel()) {}

  /** Succeeds only when the browser already has its model: we never trigger its download. */
  async load(_request?: LoadRequest): Promise<void> {
    const report = await detectBuiltinModel(this.api);
    if (report.availability !== 'available') {
      const code =
        this.api && report.availability !== 'unavailable'
          ? 'model-not-installed'
          : 'unsupported-device';
      throw new AppError(code, {
        runtime: 'builtin',
        availability: report.availability,
        reason: report.reason,
      });
    }
    this.ready = true;
  }

  generate(messages: ChatMessage[], settings: GenerationSettings): GenerationHandle {
    const pieces: string[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    const abort = new AbortController();
    this.abort = abort;
    const done = this.run(messages, settings, abort, (piece) => {
      pieces.push(piece);
      wake?.();
    }).finally(() => {
      finished = true;
      wake?.();
    });
    done.catch(() => {});
    async function* text(): AsyncGenerator<string> {
      for (;;) {
        const piece = pieces.shift();
        if (piece !== undefined) {
          yield piece;
          continue;
        }
        if (finished) {
          await done;
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
    this.abort?.abort();
  }

  async unload(): Promise<void> {
    this.abort?.abort();
    this.ready = false;
  }

  private async run(
    messages: ChatMessage[],
    settings: GenerationSettings,
    abort: AbortController,
    onText: (text: string) => void,
  ): Promise<GenerationStats> {
    const api = this.api;
    if (!api || !this.ready)
      throw new AppError('model-not-installed', { runtime: 'builtin', reason: 'no model loaded' });
    const last = messages.at(-1);
    if (last?.role !== 'user')
      throw new AppError('generation-failed', { reason: 'the last message must be the user’s' });
    const started = performance.now();
    const sampling = await this.sampling(api, settings);
    let text = '';
    let chunks = 0;
    let firstAt = 0;
    let stoppedBy: GenerationStats['stoppedBy'] = 'eos';
    const session = await api.create({
      initialPrompts: messages.slice(0, -1),
      ...sampling,
      signal: abort.signal,
    });
    try {
      for await (const chunk of chunksOf(
        session.promptStreaming(last.content, { signal: abort.signal }),
      )) {
        if (chunks === 0) firstAt = performance.now();
        chunks++;
        text += chunk;
        onText(chunk);
        // The Prompt API has no token limit: stop at the requested number of pieces.
        if (chunks >= settings.maxNewTokens) {
          stoppedBy = 'max-tokens';
          abort.abort();
          break;
        }
      }
    } catch (error) {
      if (!abort.signal.aborted)
        throw AppError.from(error, 'generation-failed', { runtime: 'builtin' });
    } finally {
      session.destroy();
    }
    if (abort.signal.aborted && stoppedBy !== 'max-tokens') stoppedBy = 'interrupted';
    const seconds = firstAt ? (performance.now() - firstAt) / 1000 : 0;
    return {
      text,
      tokens: chunks,
      timeToFirstTokenMs: firstAt ? firstAt - started : 0,
      tokensPerSecond: chunks > 1 && seconds > 0 ? (chunks - 1) / seconds : 0,
      stoppedBy,
    };
  }

  /** Temperature and top-k go together or not at all (the API's rule), within its limits. */
  private async sampling(api: LanguageModelApi, settings: GenerationSettings) {
    const params = await api.params?.().catch(() => null);
    if (!params) return {};
    return {
      temperature: Math.min(Math.max(settings.temperature, 0), params.maxTemperature),
      topK: Math.min(Math.max(1, settings.temperature <= 0 ? 1 : settings.topK), params.maxTopK),
    };
  }
}
