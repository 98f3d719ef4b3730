// The chat shows an AppError as its message plus the reasons or the cause.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { errorText } from '../../../src/ui/errorText';

describe('errorText', () => {
  it.each<[string, AppError, string]>([
    [
      'the planner’s reasons',
      new AppError('unsupported-device', { reasons: ['no WebGPU', 'too little memory'] }),
      'This device cannot run the model. no WebGPU; too little memory.',
    ],
    [
      'the runtime’s reason',
      new AppError('model-load-failed', { reason: 'protobuf parsing failed' }),
      'The model could not be loaded. (protobuf parsing failed)',
    ],
    [
      'the cause of a wrapped error',
      AppError.from(new TypeError('x is not a function'), 'generation-failed'),
      'Generating a reply failed. (TypeError: x is not a function)',
    ],
    [
      'the message alone',
      new AppError('runtime-crashed', {}),
      'The inference runtime stopped unexpectedly.',
    ],
    [
      'reasons before a reason',
      new AppError('unsupported-device', { reasons: ['no WebNN'], reason: 'ignored' }),
      'This device cannot run the model. no WebNN.',
    ],
  ])('%s', (_, error, text) => {
    expect(errorText(error)).toBe(text);
  });
});
