// Sampling settings for a conversation: sensible defaults per model, and the
// user's input clamped to ranges every runtime accepts.

import type { GenerationSettings } from '../inference/types';

/** What the defaults depend on: the model's framework and whether it is a chat model. */
export interface SettingsModel {
  framework: string;
  /** False for plain language models that continue a text (the demo story model). */
  chat: boolean;
}

/**
 * Story continuers are judged by matching a reference, so they decode greedily;
 * chat models sample lightly, as their generation configs usually suggest.
 */
export function defaultSettings(model: SettingsModel): GenerationSettings {
  if (!model.chat)
    return { maxNewTokens: 128, temperature: 0, topP: 0.9, topK: 40, repetitionPenalty: 1 };
  if (model.framework === 'builtin')
    return { maxNewTokens: 1024, temperature: 0.7, topP: 0.9, topK: 3, repetitionPenalty: 1 };
  return { maxNewTokens: 512, temperature: 0.7, topP: 0.9, topK: 50, repetitionPenalty: 1.1 };
}

const RANGES: Record<keyof GenerationSettings, { min: number; max: number; integer: boolean }> = {
  maxNewTokens: { min: 1, max: 8192, integer: true },
  temperature: { min: 0, max: 2, integer: false },
  topP: { min: 0.01, max: 1, integer: false },
  topK: { min: 0, max: 1000, integer: true },
  repetitionPenalty: { min: 1, max: 2, integer: false },
};

/** Clamps each setting into range; a value that is not a number keeps the fallback's. */
export function clampSettings(
  settings: Partial<Record<keyof GenerationSettings, unknown>>,
  fallback: GenerationSettings,
): GenerationSettings {
  const out = { ...fallback };
  for (const key of Object.keys(RANGES) as Array<keyof GenerationSettings>) {
    const raw = settings[key];
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const { min, max, integer } = RANGES[key];
    const clamped = Math.min(max, Math.max(min, value));
    out[key] = integer ? Math.round(clamped) : clamped;
  }
  return out;
}

/**
 * Defaults for one model from its own files: whether its tokenizer has a chat
 * template (tokenizer_config.json) and the sampling its authors suggest
 * (generation_config.json). Either may be missing or malformed: the general
 * defaults then stand.
 */
export function settingsFromModelFiles(
  framework: string,
  tokenizerConfig: unknown,
  generationConfig: unknown,
): { chat: boolean; settings: GenerationSettings } {
  const tokenizer = isObject(tokenizerConfig) ? tokenizerConfig : {};
  const chat =
    typeof tokenizer.chat_template === 'string' || Array.isArray(tokenizer.chat_template);
  const base = defaultSettings({ framework, chat });
  const g = isObject(generationConfig) ? generationConfig : {};
  const suggested: Partial<Record<keyof GenerationSettings, unknown>> = {
    temperature: g.do_sample === false ? 0 : g.temperature,
    topP: g.top_p,
    topK: g.top_k,
    repetitionPenalty: g.repetition_penalty,
    maxNewTokens: g.max_new_tokens,
  };
  return { chat, settings: clampSettings(suggested, base) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
