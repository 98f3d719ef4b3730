// Maps the app's generation settings onto transformers.js `generate()` options.
// Greedy decoding (temperature 0) must not pass sampling knobs: transformers.js
// would sample as soon as `do_sample` is true.

import type { GenerationSettings } from '../types';

export interface TransformersGenerationOptions {
  max_new_tokens: number;
  do_sample: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  repetition_penalty: number;
}

export function generationOptions(settings: GenerationSettings): TransformersGenerationOptions {
  const greedy = settings.temperature <= 0;
  return {
    max_new_tokens: Math.max(1, Math.floor(settings.maxNewTokens)),
    do_sample: !greedy,
    ...(greedy
      ? {}
      : {
          temperature: settings.temperature,
          top_p: settings.topP,
          // transformers.js treats top_k 0 as "no limit".
          top_k: Math.max(0, Math.floor(settings.topK)),
        }),
    repetition_penalty: settings.repetitionPenalty > 0 ? settings.repetitionPenalty : 1,
  };
}
