import { describe, expect, it } from 'vitest';
import { taskScreenOf } from '../../../../src/core/tasks/taskScreen';

describe('taskScreenOf', () => {
  it.each([
    ['onnx', 'digit-recognition', 'tensor'],
    ['tflite', 'image-classification', 'tensor'],
    ['tflite', 'text-embedding', 'tensor'],
    ['transformers', 'image-classification', 'pipeline'],
    ['transformers', 'feature-extraction', 'pipeline'],
    ['transformers', 'sentence-similarity', 'pipeline'],
    ['transformers', 'object-detection', 'pipeline'],
    ['transformers', 'text-generation', null],
    ['transformers', 'text-embedding', null],
    ['onnx', 'object-detection', null],
    ['transformers', 'unknown', null],
  ])('%s %s → %s', (framework, task, expected) => {
    expect(taskScreenOf({ framework, task })).toBe(expected);
  });
});
