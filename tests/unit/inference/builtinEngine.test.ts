// The Prompt API adapter against a scripted fake of the documented API shape
// (Chromium here has no LanguageModel): availability reported honestly, no
// download started by us, streaming, stop, and the token limit.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import {
  type BuiltinAvailability,
  BuiltinTextEngine,
  detectBuiltinModel,
  findLanguageModel,
  type LanguageModelApi,
} from '../../../src/inference/builtinEngine';
import { DEFAULT_GENERATION } from '../../../src/inference/types';

interface Script {
  availability: BuiltinAvailability;
  chunks?: string[];
  /** Waits before each chunk, so a stop can land mid-stream. */
  delayMs?: number;
  asReadableStream?: boolean;
}

function fakeLanguageModel(script: Script) {
  const calls = { create: 0, created: [] as unknown[], destroyed: 0 };
  const api: LanguageModelApi = {
    availability: async () => script.availability,
    params: async () => ({ defaultTopK: 3, maxTopK: 8, defaultTemperature: 1, maxTemperature: 2 }),
    async create(options) {
      calls.create++;
      calls.created.push(options);
      return {
        promptStreaming(_input, { signal } = {}) {
          async function* stream() {
            for (const chunk of script.chunks ?? []) {
              if (script.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
              if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
              yield chunk;
            }
          }
          if (!script.asReadableStream) return stream();
          const it = stream();
          return new ReadableStream<string>({
            async pull(controller) {
              const { done, value } = await it.next();
              if (done) controller.close();
              else controller.enqueue(value);
            },
          });
        },
        destroy: () => {
          calls.destroyed++;
        },
      };
    },
  };
  return { api, calls };
}

const user = [{ role: 'user' as const, content: 'Hi' }];

describe('detectBuiltinModel', () => {
  it.each([
    ['available', undefined],
    ['downloadable', 'not downloaded it yet'],
    ['downloading', 'is downloading'],
    ['unavailable', 'cannot run on this device'],
  ] as const)('reports %s as the browser states it', async (availability, reason) => {
    const { api, calls } = fakeLanguageModel({ availability });
    const report = await detectBuiltinModel(api);
    expect(report.availability).toBe(availability);
    if (reason) expect(report.reason).toContain(reason);
    else expect(report.reason).toBeUndefined();
    expect(calls.create).toBe(0);
  });

  it('reports unavailable with the reason when there is no Prompt API', async () => {
    expect(findLanguageModel({})).toBeNull();
    expect(await detectBuiltinModel(null)).toEqual({
      availability: 'unavailable',
      reason: 'This browser has no Prompt API (LanguageModel).',
    });
  });
});

describe('BuiltinTextEngine', () => {
  it.each([
    ['downloadable', 'model-not-installed'],
    ['downloading', 'model-not-installed'],
    ['unavailable', 'unsupported-device'],
  ] as const)(
    'refuses to load when %s, without creating a session (no download by us)',
    async (availability, code) => {
      const { api, calls } = fakeLanguageModel({ availability });
      const error = await new BuiltinTextEngine(api).load().catch((e: unknown) => e);
      expect(AppError.is(error, code)).toBe(true);
      expect((error as AppError).details).toMatchObject({ availability });
      expect(calls.create).toBe(0);
    },
  );

  it.each([false, true])(
    'streams the reply piece by piece (ReadableStream: %s)',
    async (asReadableStream) => {
      const { api, calls } = fakeLanguageModel({
        availability: 'available',
        chunks: ['Hel', 'lo', '!'],
        asReadableStream,
      });
      const engine = new BuiltinTextEngine(api);
      await engine.load();
      const history = [{ role: 'system' as const, content: 'Be brief.' }, ...user];
      const handle = engine.generate(history, {
        ...DEFAULT_GENERATION,
        temperature: 0.5,
        topK: 40,
      });
      const pieces: string[] = [];
      for await (const piece of handle.text) pieces.push(piece);
      const stats = await handle.done;
      expect(pieces).toEqual(['Hel', 'lo', '!']);
      expect(stats).toMatchObject({ text: 'Hello!', tokens: 3, stoppedBy: 'eos' });
      // History before the last message becomes the session's initial prompts; sampling is clamped.
      expect(calls.created[0]).toMatchObject({
        initialPrompts: [{ role: 'system', content: 'Be brief.' }],
        temperature: 0.5,
        topK: 8,
      });
      expect(calls.destroyed).toBe(1);
    },
  );

  it('stops mid-stream when interrupted', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => `${i} `);
    const { api } = fakeLanguageModel({ availability: 'available', chunks, delayMs: 2 });
    const engine = new BuiltinTextEngine(api);
    await engine.load();
    const handle = engine.generate(user, DEFAULT_GENERATION);
    let seen = 0;
    for await (const _ of handle.text) if (++seen === 3) await engine.interrupt();
    const stats = await handle.done;
    expect(stats.stoppedBy).toBe('interrupted');
    expect(stats.tokens).toBeLessThan(10);
  });

  it('stops at maxNewTokens pieces', async () => {
    const { api } = fakeLanguageModel({ availability: 'available', chunks: ['a', 'b', 'c', 'd'] });
    const engine = new BuiltinTextEngine(api);
    await engine.load();
    const stats = await engine.generate(user, { ...DEFAULT_GENERATION, maxNewTokens: 2 }).done;
    expect(stats).toMatchObject({ text: 'ab', tokens: 2, stoppedBy: 'max-tokens' });
  });

  it('refuses to generate before a successful load', async () => {
    const { api } = fakeLanguageModel({ availability: 'available', chunks: ['x'] });
    const error = await new BuiltinTextEngine(api)
      .generate(user, DEFAULT_GENERATION)
      .done.catch((e: unknown) => e);
    expect(AppError.is(error, 'model-not-installed')).toBe(true);
  });
});
