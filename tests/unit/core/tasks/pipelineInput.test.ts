import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/core/errors';
import { type CheckedInput, checkPipelineInput } from '../../../../src/core/tasks/pipelineInput';
import type { PipelineTask } from '../../../../src/core/tasks/pipelineTask';

const image = (width: number, height: number, bytes = width * height * 4) => ({
  width,
  height,
  data: { length: bytes },
});

describe('checkPipelineInput', () => {
  it.each<[string, CheckedInput, PipelineTask]>([
    ['two sentences', { task: 'feature-extraction', texts: ['a', 'b'] }, 'feature-extraction'],
    [
      'a 3×2 photo',
      { task: 'image-classification', image: image(3, 2), topK: 5 },
      'image-classification',
    ],
    [
      'threshold 0',
      { task: 'object-detection', image: image(1, 1), threshold: 0 },
      'object-detection',
    ],
    [
      'threshold 1',
      { task: 'object-detection', image: image(8192, 1), threshold: 1 },
      'object-detection',
    ],
  ])('accepts %s', (_, input, loaded) => {
    expect(() => checkPipelineInput(input, loaded)).not.toThrow();
  });

  it.each<[string, CheckedInput, PipelineTask, RegExp]>([
    [
      'another task than loaded',
      { task: 'feature-extraction', texts: ['a'] },
      'object-detection',
      /runs object-detection/,
    ],
    ['no texts', { task: 'feature-extraction', texts: [] }, 'feature-extraction', /no text/],
    [
      'a blank text',
      { task: 'feature-extraction', texts: ['a', '  '] },
      'feature-extraction',
      /empty text/,
    ],
    [
      '65 texts',
      { task: 'feature-extraction', texts: new Array(65).fill('a') },
      'feature-extraction',
      /at most 64/,
    ],
    [
      'a text too long',
      { task: 'feature-extraction', texts: ['a'.repeat(4097)] },
      'feature-extraction',
      /over 4096/,
    ],
    [
      'top-k 0',
      { task: 'image-classification', image: image(2, 2), topK: 0 },
      'image-classification',
      /top-k 0/,
    ],
    [
      'a zero-wide photo',
      { task: 'image-classification', image: image(0, 2), topK: 5 },
      'image-classification',
      /whole pixels/,
    ],
    [
      'a fractional size',
      { task: 'image-classification', image: image(1.5, 2, 12), topK: 5 },
      'image-classification',
      /whole pixels/,
    ],
    [
      'a photo too big',
      { task: 'image-classification', image: image(8193, 1), topK: 5 },
      'image-classification',
      /over 8192/,
    ],
    [
      'pixels missing',
      { task: 'object-detection', image: image(2, 2, 15), threshold: 0.9 },
      'object-detection',
      /15 bytes/,
    ],
    [
      'threshold NaN',
      { task: 'object-detection', image: image(2, 2), threshold: Number.NaN },
      'object-detection',
      /threshold/,
    ],
    [
      'threshold 1.5',
      { task: 'object-detection', image: image(2, 2), threshold: 1.5 },
      'object-detection',
      /threshold/,
    ],
  ])('refuses %s as inference-failed with the reason', (_, input, loaded, reason) => {
    let caught: unknown;
    try {
      checkPipelineInput(input, loaded);
    } catch (error) {
      caught = error;
    }
    expect(AppError.is(caught, 'inference-failed')).toBe(true);
    expect(String((caught as AppError).details.reason)).toMatch(reason);
  });
});
