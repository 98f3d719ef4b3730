import { describe, expect, it } from 'vitest';
import { AppError, isAppErrorData, networkFailure } from '../../../src/core/errors';

describe('AppError', () => {
  it('carries a code, a plain message and details, and serialises to exactly those', () => {
    const error = new AppError('insufficient-storage', { needed: 10, available: 5 });
    expect(error.message).toMatch(/not enough storage/i);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'insufficient-storage',
      message: error.message,
      details: { needed: 10, available: 5 },
    });
  });

  it('survives a structured-clone round trip as data and comes back as an AppError', () => {
    const data = structuredClone(
      new AppError('validation-failed', { expected: 'a', actual: 'b' }).toJSON(),
    );
    expect(isAppErrorData(data)).toBe(true);
    const back = AppError.fromData(data);
    expect(back).toBeInstanceOf(AppError);
    expect(AppError.is(back, 'validation-failed')).toBe(true);
    expect(back.details).toEqual({ expected: 'a', actual: 'b' });
  });

  it('wraps foreign errors under the fallback code, keeping the cause', () => {
    const wrapped = AppError.from(new TypeError('Failed to fetch'), 'network', { url: 'u' });
    expect(wrapped.code).toBe('network');
    expect(wrapped.details).toEqual({ url: 'u', cause: 'TypeError: Failed to fetch' });
  });

  it('keeps an AppError as it is when wrapping', () => {
    const original = new AppError('cancelled');
    expect(AppError.from(original, 'network')).toBe(original);
  });

  it.each([[null], ['network'], [{ code: 'no-such-code', message: 'x' }], [{ code: 'network' }]])(
    'does not mistake %j for error data',
    (value) => {
      expect(isAppErrorData(value)).toBe(false);
    },
  );

  it('wraps a foreign error as internal with its cause and stack, never as a network fault', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'length')");
    const wrapped = AppError.from(bug, 'internal', { path: 'a.bin' });
    expect(wrapped.code).toBe('internal');
    expect(wrapped.message).toMatch(/inside the app \(a bug\)/);
    expect(wrapped.details).toEqual({
      path: 'a.bin',
      cause: "TypeError: Cannot read properties of undefined (reading 'length')",
      stack: bug.stack,
    });
  });
});

describe('networkFailure', () => {
  const abort = new DOMException('The operation was aborted.', 'AbortError');
  const network = new DOMException('A network error occurred.', 'NetworkError');
  it.each<[string, unknown, string]>([
    ['Chromium fetch failure', new TypeError('Failed to fetch'), 'network'],
    ['Chromium body read failure', new TypeError('network error'), 'network'],
    [
      'Firefox fetch failure',
      new TypeError('NetworkError when attempting to fetch resource.'),
      'network',
    ],
    ['Safari fetch failure', new TypeError('Load failed'), 'network'],
    ['an aborted read (stall timer)', abort, 'network'],
    ['a DOMException NetworkError', network, 'network'],
    ['a RangeError from our code', new RangeError('offset out of bounds'), 'internal'],
    ['a plain Error', new Error('boom'), 'internal'],
    ['a DOMException InvalidStateError', new DOMException('x', 'InvalidStateError'), 'internal'],
    ['a thrown string', 'boom', 'internal'],
    ['undefined', undefined, 'internal'],
  ])('%s is %s', (_, error, code) => {
    const wrapped = networkFailure(error, { url: 'u' });
    expect(wrapped.code).toBe(code);
    expect(wrapped.details.url).toBe('u');
    expect(typeof wrapped.details.cause).toBe('string');
    expect('stack' in wrapped.details).toBe(code === 'internal' && error instanceof Error);
  });

  it('keeps an AppError as it is', () => {
    const original = new AppError('server-changed', { path: 'a' });
    expect(networkFailure(original)).toBe(original);
  });
});
