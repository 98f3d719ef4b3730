// Chat settings: defaults per kind of model, from a model's own files, and
// user input clamped into ranges every runtime accepts.

import { describe, expect, it } from 'vitest';
import {
  clampSettings,
  defaultSettings,
  settingsFromModelFiles,
} from '../../../src/core/chatSettings';
import { DEFAULT_GENERATION } from '../../../src/inference/types';

describe('defaultSettings', () => {
  it('story models decode greedily with the reference settings', () => {
    expect(defaultSettings({ framework: 'transformers', chat: false })).toEqual(DEFAULT_GENERATION);
  });
  it('chat models sample lightly', () => {
    const s = defaultSettings({ framework: 'transformers', chat: true });
    expect(s.temperature).toBeGreaterThan(0);
    expect(s.repetitionPenalty).toBeGreaterThan(1);
  });
});

describe('settingsFromModelFiles', () => {
  const cases: Array<[string, unknown, unknown, boolean, Partial<typeof DEFAULT_GENERATION>]> = [
    [
      'the demo model (no template, do_sample false)',
      { model_max_length: 512 },
      { do_sample: false, max_length: 512 },
      false,
      { temperature: 0, maxNewTokens: 128 },
    ],
    [
      'a chat template and suggested sampling',
      { chat_template: '{{x}}' },
      { do_sample: true, temperature: 0.6, top_p: 0.95, top_k: 20, repetition_penalty: 1.05 },
      true,
      { temperature: 0.6, topP: 0.95, topK: 20, repetitionPenalty: 1.05 },
    ],
    [
      'named templates (a list)',
      { chat_template: [{ name: 'default', template: 'x' }] },
      null,
      true,
      { temperature: 0.7 },
    ],
    ['malformed files', 'nonsense', [1, 2], false, { temperature: 0 }],
    [
      'out-of-range suggestions are clamped',
      { chat_template: 'x' },
      { temperature: 9, top_k: -3, max_new_tokens: 1e9 },
      true,
      { temperature: 2, topK: 0, maxNewTokens: 8192 },
    ],
  ];
  it.each(cases)('%s', (_name, tokenizer, generation, chat, expected) => {
    const result = settingsFromModelFiles('transformers', tokenizer, generation);
    expect(result.chat).toBe(chat);
    expect(result.settings).toMatchObject(expected);
  });
});

describe('clampSettings', () => {
  const cases: Array<[Record<string, unknown>, Partial<typeof DEFAULT_GENERATION>]> = [
    [{ temperature: '0.5' }, { temperature: 0.5 }],
    [{ temperature: -1 }, { temperature: 0 }],
    [{ topP: 0 }, { topP: 0.01 }],
    [{ maxNewTokens: 12.6 }, { maxNewTokens: 13 }],
    [{ maxNewTokens: 'lots' }, { maxNewTokens: DEFAULT_GENERATION.maxNewTokens }],
    [{ repetitionPenalty: Number.NaN }, { repetitionPenalty: 1 }],
    [{ topK: '' }, { topK: DEFAULT_GENERATION.topK }],
  ];
  it.each(cases)('%o', (input, expected) => {
    expect(clampSettings(input, DEFAULT_GENERATION)).toMatchObject(expected);
  });
});
