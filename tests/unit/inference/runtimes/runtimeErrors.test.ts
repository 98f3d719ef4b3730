// What a runtime throws becomes a typed error: a dead WebAssembly instance is
// `runtime-crashed` (the worker is replaced) with the kind of crash, told by the
// error's type where it has one; anything else keeps its reason.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../src/core/errors';
import { runtimeCrashOf, runtimeFailure } from '../../../../src/inference/runtimes/runtimeErrors';

/** The error a real call throws. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('the call did not throw');
}

// A module whose one export, `f`, executes `unreachable`.
const TRAP_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02,
  0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,
]);
const trap = () => {
  const { f } = new WebAssembly.Instance(new WebAssembly.Module(TRAP_MODULE)).exports;
  (f as () => void)();
};
const growPastMaximum = () => new WebAssembly.Memory({ initial: 1, maximum: 1 }).grow(1);

describe('runtimeCrashOf', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each<[string, () => unknown, string | null]>([
    // By type, from real failures.
    [
      'a real Memory.grow past its maximum (RangeError)',
      () => thrownBy(growPastMaximum),
      'out-of-memory',
    ],
    ['a real WebAssembly trap (RuntimeError)', () => thrownBy(trap), 'wasm-trap'],
    [
      'a RangeError whose message never says memory',
      () => new RangeError('Invalid typed array length: 4294967296'),
      'out-of-memory',
    ],
    [
      'an emscripten abort for memory (RuntimeError)',
      () => new WebAssembly.RuntimeError('Aborted(OOM)'),
      'out-of-memory',
    ],
    [
      'an emscripten abort for another reason',
      () => new WebAssembly.RuntimeError('Aborted(Assertion failed)'),
      'wasm-trap',
    ],
    [
      'a runtime wrapper whose cause is a RangeError',
      () => new Error('session failed', { cause: thrownBy(growPastMaximum) }),
      'out-of-memory',
    ],
    [
      'a type deeper in the chain beats text higher up',
      () => new Error('Aborted(unreachable)', { cause: thrownBy(growPastMaximum) }),
      'out-of-memory',
    ],
    // Text, only for errors that lost their type.
    ['an Error rebuilt from an abort message', () => new Error('Aborted(OOM)'), 'out-of-memory'],
    ['a string saying out of memory', () => 'out of memory', 'out-of-memory'],
    [
      'an Error rebuilt from a trap message',
      () => new Error('RuntimeError: memory access out of bounds'),
      'wasm-trap',
    ],
    // Not crashes.
    [
      'a protobuf parse error',
      () => new Error("Can't create a session. ERROR_CODE: 7, protobuf parsing failed."),
      null,
    ],
    ['a TypeError', () => new TypeError('x is not a function'), null],
    ['a string', () => 'bad model', null],
    ['undefined', () => undefined, null],
  ])('%s', (_, make, crash) => {
    expect(runtimeCrashOf(make())).toBe(crash);
  });

  it('knows WebGPU’s GPUOutOfMemoryError by its type, whatever its message', () => {
    // Node has no WebGPU: the class stands in for the browser's global of that name.
    class GPUOutOfMemoryError {
      readonly message = 'createBuffer failed';
    }
    vi.stubGlobal('GPUOutOfMemoryError', GPUOutOfMemoryError);
    expect(runtimeCrashOf(new GPUOutOfMemoryError())).toBe('out-of-memory');
    expect(runtimeCrashOf({ message: 'createBuffer failed' })).toBe(null);
  });
});

describe('runtimeFailure', () => {
  it.each<[string, unknown, string, string | undefined]>([
    [
      'an out-of-memory',
      new RangeError('Array buffer allocation failed'),
      'runtime-crashed',
      'out-of-memory',
    ],
    ['a trap', new WebAssembly.RuntimeError('unreachable'), 'runtime-crashed', 'wasm-trap'],
    [
      'a protobuf parse error',
      new Error('protobuf parsing failed.'),
      'model-load-failed',
      undefined,
    ],
    ['a string', 'bad model', 'model-load-failed', undefined],
  ])('%s', (_, thrown, code, crash) => {
    const error = runtimeFailure(thrown, 'model-load-failed', { id: 'm' });
    expect(error.code).toBe(code);
    expect(error.details.crash).toBe(crash);
    expect(error.details).toMatchObject({ id: 'm' });
    expect(String(error.details.reason)).not.toBe('');
  });

  it('keeps an AppError as it is', () => {
    const original = new AppError('unsupported-device', { backend: 'webnn' });
    expect(runtimeFailure(original, 'model-load-failed', {})).toBe(original);
  });
});
