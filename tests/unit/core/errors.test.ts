import { describe, expect, it } from 'vitest';
import { AppError, isAppErrorData } from '../../../src/core/errors';

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
});
