// What a runtime throws becomes a typed error: a dead WebAssembly instance is
// `runtime-crashed` (the worker is replaced), anything else keeps its reason.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { runtimeFailure } from '../../../src/inference/runtimes/runtimeErrors';

describe('runtimeFailure', () => {
  it.each<[string, unknown, string]>([
    ['an emscripten abort', new Error('Aborted(OOM)'), 'runtime-crashed'],
    ['a WebAssembly trap', new WebAssembly.RuntimeError('unreachable'), 'runtime-crashed'],
    [
      'a failed allocation',
      new RangeError('Array buffer allocation failed: out of memory'),
      'runtime-crashed',
    ],
    [
      'a protobuf parse error',
      new Error("Can't create a session. ERROR_CODE: 7, protobuf parsing failed."),
      'model-load-failed',
    ],
    ['a string', 'bad model', 'model-load-failed'],
  ])('%s', (_, thrown, code) => {
    const error = runtimeFailure(thrown, 'model-load-failed', { id: 'm' });
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ id: 'm' });
    expect(String(error.details.reason)).not.toBe('');
  });

  it('keeps an AppError as it is', () => {
    const original = new AppError('unsupported-device', { backend: 'webnn' });
    expect(runtimeFailure(original, 'model-load-failed', {})).toBe(original);
  });
});
