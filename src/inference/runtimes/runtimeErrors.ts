// Turns what a runtime throws into the app's typed errors. A WebAssembly abort
// or out-of-memory leaves the runtime unusable: that is `runtime-crashed`, and
// the page replaces the worker; anything else during loading is
// `model-load-failed` with the runtime's own reason.

import { AppError, type ErrorCode, type ErrorDetails } from '../../core/errors';

const FATAL = [
  /Aborted\(/i,
  /out of memory/i,
  /\bOOM\b/,
  /memory access out of bounds/i,
  /unreachable/i,
];

export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Whether an error means the runtime's WebAssembly instance is dead. */
export function isFatalRuntimeError(error: unknown): boolean {
  if (error instanceof WebAssembly.RuntimeError) return true;
  if (error instanceof RangeError && /memory/i.test(error.message)) return true;
  return FATAL.some((re) => re.test(reasonOf(error)));
}

/** Wraps a runtime failure: fatal ones as `runtime-crashed`, others as `fallback`. */
export function runtimeFailure(
  error: unknown,
  fallback: ErrorCode,
  details: ErrorDetails,
): AppError {
  if (error instanceof AppError) return error;
  const reason = reasonOf(error);
  if (isFatalRuntimeError(error)) return new AppError('runtime-crashed', { ...details, reason });
  return new AppError(fallback, { ...details, reason });
}
