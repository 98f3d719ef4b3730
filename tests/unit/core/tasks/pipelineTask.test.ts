import { describe, expect, it } from 'vitest';
import { pipelineTaskFor } from '../../../../src/core/tasks/pipelineTask';

describe('pipelineTaskFor', () => {
  it.each([
    ['feature-extraction', 'feature-extraction'],
    ['sentence-similarity', 'feature-extraction'],
    ['image-classification', 'image-classification'],
    ['object-detection', 'object-detection'],
    ['text-generation', null],
    ['automatic-speech-recognition', null],
    ['image-segmentation', null],
    ['unknown', null],
    ['', null],
    ['toString', null],
  ])('%s → %s', (task, expected) => {
    expect(pipelineTaskFor(task)).toBe(expected);
  });
});
