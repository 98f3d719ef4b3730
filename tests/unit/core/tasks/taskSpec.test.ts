// task.json: the three task shapes are accepted, anything else is a typed error.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/core/errors';
import { hasTaskScreen, parseTaskSpec } from '../../../../src/core/tasks/taskSpec';

describe('parseTaskSpec', () => {
  it('accepts a digit spec', () => {
    expect(parseTaskSpec({ task: 'digit-recognition', model: 'model.onnx', size: 28 }).task).toBe(
      'digit-recognition',
    );
  });

  it.each([
    { name: 'unknown task', data: { task: 'chat', model: 'm' } },
    { name: 'unsafe model path', data: { task: 'digit-recognition', model: '../x', size: 28 } },
    { name: 'extra field', data: { task: 'digit-recognition', model: 'm', size: 28, x: 1 } },
    { name: 'not an object', data: 'task' },
  ])('refuses $name with invalid-manifest', ({ data }) => {
    let caught: unknown;
    try {
      parseTaskSpec(data);
    } catch (error) {
      caught = error;
    }
    expect(AppError.is(caught) && caught.code).toBe('invalid-manifest');
  });

  it.each([
    ['digit-recognition', true],
    ['text-embedding', true],
    ['text-generation', false],
  ])('%s has a screen: %s', (task, want) => {
    expect(hasTaskScreen(task)).toBe(want);
  });
});
