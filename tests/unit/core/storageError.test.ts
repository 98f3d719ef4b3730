// Storage failures are named as storage failures: never `network`.

import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../../src/core/errors';
import { storageError } from '../../../src/core/storageError';

describe('storageError', () => {
  const cases: Array<[string, unknown, ErrorCode]> = [
    ['a full quota', new DOMException('full', 'QuotaExceededError'), 'insufficient-storage'],
    [
      'an IndexedDB transaction aborted',
      new DOMException('aborted', 'AbortError'),
      'storage-failed',
    ],
    [
      'an OPFS handle locked',
      new DOMException('locked', 'NoModificationAllowedError'),
      'storage-failed',
    ],
    ['an IndexedDB unknown error', new DOMException('x', 'UnknownError'), 'storage-failed'],
    [
      'an invalid state (closed database)',
      new DOMException('x', 'InvalidStateError'),
      'storage-failed',
    ],
    ['a TypeError (a bug, not the disk)', new TypeError('x is undefined'), 'internal'],
    ['a plain Error', new Error('disk'), 'internal'],
    ['a thrown string', 'boom', 'internal'],
    ['an AppError passed through', new AppError('cancelled', { reason: 'paused' }), 'cancelled'],
  ];
  it.each(cases)('maps %s', (_name, error, code) => {
    expect(storageError(error, { path: 'a.bin' }).code).toBe(code);
  });

  it('keeps the details and the cause', () => {
    const error = storageError(new DOMException('disk I/O', 'UnknownError'), { path: 'a.bin' });
    expect(error.details).toEqual({ path: 'a.bin', cause: 'UnknownError: disk I/O' });
    expect(error.message).not.toMatch(/network/i);
  });
});
