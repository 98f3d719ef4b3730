// The browser's built-in model (Prompt API): whether `LanguageModel` exists and
// what it says about availability. Asking never starts a download.

import type { PromptApiReport, PromptAvailability } from '../core/probeReport';

const STATES: readonly PromptAvailability[] = [
  'unavailable',
  'downloadable',
  'downloading',
  'available',
];

interface LanguageModelLike {
  availability(options?: Record<string, unknown>): Promise<string>;
}

export async function probePromptApi(): Promise<PromptApiReport> {
  const api = (globalThis as unknown as { LanguageModel?: LanguageModelLike }).LanguageModel;
  if (!api || typeof api.availability !== 'function') return { api: false, availability: null };
  // Text in English both ways: what the app's chat sends and expects.
  const answer = await api.availability({
    expectedInputs: [{ type: 'text', languages: ['en'] }],
    expectedOutputs: [{ type: 'text', languages: ['en'] }],
  });
  const availability = STATES.find((s) => s === answer) ?? null;
  return { api: true, availability };
}
