// Checks a task pipeline's input before it reaches transformers.js, so a bad
// one is a typed `inference-failed` with the reason, not a runtime's riddle.

import { AppError } from '../errors';
import type { PipelineTask } from './pipelineTask';

/** Bounds that keep one run within what a phone can hold (a 8K photo is 128 MB of RGBA). */
export const PIPELINE_INPUT_LIMITS = {
  texts: 64,
  textChars: 4096,
  side: 8192,
  topK: 100,
} as const;

interface ImageLike {
  width: number;
  height: number;
  data: { length: number };
}

export type CheckedInput =
  | { task: 'feature-extraction'; texts: string[] }
  | { task: 'image-classification'; image: ImageLike; topK: number }
  | { task: 'object-detection'; image: ImageLike; threshold: number };

function problemOf(input: CheckedInput): string | null {
  const L = PIPELINE_INPUT_LIMITS;
  switch (input.task) {
    case 'feature-extraction': {
      const { texts } = input;
      if (!Array.isArray(texts) || texts.length === 0) return 'no text to embed';
      if (texts.length > L.texts) return `${texts.length} texts; at most ${L.texts} at once`;
      if (texts.some((t) => typeof t !== 'string' || t.trim() === '')) return 'an empty text';
      if (texts.some((t) => t.length > L.textChars)) return `a text over ${L.textChars} characters`;
      return null;
    }
    case 'image-classification':
      if (!Number.isInteger(input.topK) || input.topK < 1 || input.topK > L.topK)
        return `top-k ${input.topK} is not 1..${L.topK}`;
      return imageProblem(input.image);
    case 'object-detection':
      if (!(input.threshold >= 0 && input.threshold <= 1))
        return `threshold ${input.threshold} is not 0..1`;
      return imageProblem(input.image);
    default:
      return `unknown task ${String((input as { task: unknown }).task)}`;
  }
}

function imageProblem({ width, height, data }: ImageLike): string | null {
  const side = PIPELINE_INPUT_LIMITS.side;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    return `image size ${width}×${height} is not whole pixels`;
  if (width > side || height > side)
    return `image ${width}×${height} is over ${side} pixels a side`;
  if (data.length !== width * height * 4)
    return `image data has ${data.length} bytes; ${width}×${height} RGBA needs ${width * height * 4}`;
  return null;
}

/** Throws `inference-failed` when the input cannot run on a pipeline loaded for `loaded`. */
export function checkPipelineInput(input: CheckedInput, loaded: PipelineTask): void {
  const reason =
    input.task !== loaded ? `the loaded model runs ${loaded}, not ${input.task}` : problemOf(input);
  if (reason) throw new AppError('inference-failed', { task: input.task, reason });
}
