// Names a failure of the browser's storage (OPFS, IndexedDB) for what it is:
// a full quota is `insufficient-storage`, any other storage failure is
// `storage-failed` — never `network`, which would send the user to check a
// connection that is fine. Storage APIs fail with DOMExceptions; anything
// else thrown on the storage path (a TypeError…) is a bug: `internal`.

import { AppError, type ErrorDetails } from './errors';

/** Wraps an error thrown by a storage API; AppErrors pass through unchanged. */
export function storageError(error: unknown, details: ErrorDetails = {}): AppError {
  if (AppError.is(error)) return error;
  const name = errorName(error);
  if (name === 'QuotaExceededError') {
    return new AppError('insufficient-storage', { ...details, cause: 'QuotaExceededError' });
  }
  const fromStorage = typeof DOMException !== 'undefined' && error instanceof DOMException;
  return AppError.from(error, fromStorage ? 'storage-failed' : 'internal', details);
}

function errorName(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : null;
}
