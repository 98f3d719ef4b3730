// Generation settings become transformers.js options: greedy stays greedy,
// sampling passes every knob.

import { describe, expect, it } from 'vitest';
import { generationOptions } from '../../../../src/inference/runtimes/generationOptions';
import { DEFAULT_GENERATION } from '../../../../src/inference/types';

describe('generationOptions', () => {
  it.each([
    [
      'temperature 0 is greedy, without sampling knobs',
      { ...DEFAULT_GENERATION, maxNewTokens: 64, repetitionPenalty: 1.1 },
      { max_new_tokens: 64, do_sample: false, repetition_penalty: 1.1 },
    ],
    [
      'sampling passes temperature, top-p and top-k',
      { maxNewTokens: 10, temperature: 0.7, topP: 0.95, topK: 50, repetitionPenalty: 1 },
      {
        max_new_tokens: 10,
        do_sample: true,
        temperature: 0.7,
        top_p: 0.95,
        top_k: 50,
        repetition_penalty: 1,
      },
    ],
    [
      'nonsense values are made safe',
      { maxNewTokens: 0.5, temperature: 1, topP: 1, topK: -3, repetitionPenalty: 0 },
      {
        max_new_tokens: 1,
        do_sample: true,
        temperature: 1,
        top_p: 1,
        top_k: 0,
        repetition_penalty: 1,
      },
    ],
  ])('%s', (_, settings, expected) => {
    expect(generationOptions(settings)).toEqual(expected);
  });
});
