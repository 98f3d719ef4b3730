// Turns what a runtime throws into the app's typed errors. A WebAssembly trap
// or out-of-memory leaves the runtime unusable: that is `runtime-crashed` (with
// `details.crash` saying which), and the page replaces the worker; anything
// else keeps the caller's code with the runtime's own reason.

import { AppError, type ErrorCode, type ErrorDetails } from '../../core/errors';

/** Why a runtime's instance is dead. */
export type RuntimeCrash = 'out-of-memory' | 'wasm-trap';

// Text is the last resort, for errors that lost their type: a string, or an
// Error rebuilt from a message (a proxy worker, a runtime's own wrapper).
const OUT_OF_MEMORY_TEXT = [
  /out of memory/i,
  /\bOOM\b/,
  /Cannot enlarge memory/i,
  /allocation failed/i,
  /failed to allocate/i,
];
const TRAP_TEXT = [/Aborted\(/i, /memory access out of bounds/i, /unreachable/i];

export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The error and the errors it wraps (`cause`), outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8; ) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return chain;
}

/** A crash known from the error's type alone. */
function crashByType(error: unknown): RuntimeCrash | null {
  // WebGPU reports a failed GPU allocation as its own error type (only where WebGPU exists).
  const GpuOutOfMemory = (
    globalThis as unknown as { GPUOutOfMemoryError?: abstract new (...args: never[]) => unknown }
  ).GPUOutOfMemoryError;
  if (GpuOutOfMemory && error instanceof GpuOutOfMemory) return 'out-of-memory';
  // Every failed allocation of JavaScript or WebAssembly memory (ArrayBuffer,
  // typed array, Memory.grow, a new instance) throws a RangeError, and a
  // runtime throws no other RangeError but a stack overflow, also exhaustion.
  if (error instanceof RangeError) return 'out-of-memory';
  // Emscripten's abort() (its out-of-memory included) throws a RuntimeError
  // too; only the message tells an abort for memory from another trap.
  if (error instanceof WebAssembly.RuntimeError) {
    return OUT_OF_MEMORY_TEXT.some((re) => re.test(error.message)) ? 'out-of-memory' : 'wasm-trap';
  }
  return null;
}

function crashByText(error: unknown): RuntimeCrash | null {
  const text = reasonOf(error);
  if (OUT_OF_MEMORY_TEXT.some((re) => re.test(text))) return 'out-of-memory';
  if (TRAP_TEXT.some((re) => re.test(text))) return 'wasm-trap';
  return null;
}

/** Whether (and why) an error means the runtime's instance is dead; null if it is not. */
export function runtimeCrashOf(error: unknown): RuntimeCrash | null {
  const chain = causeChain(error);
  for (const e of chain) {
    const crash = crashByType(e);
    if (crash) return crash;
  }
  for (const e of chain) {
    const crash = crashByText(e);
    if (crash) return crash;
  }
  return null;
}

/** Wraps a runtime failure: fatal ones as `runtime-crashed`, others as `fallback`. */
export function runtimeFailure(
  error: unknown,
  fallback: ErrorCode,
  details: ErrorDetails,
): AppError {
  if (error instanceof AppError) return error;
  const reason = reasonOf(error);
  const crash = runtimeCrashOf(error);
  if (crash) return new AppError('runtime-crashed', { ...details, reason, crash });
  return new AppError(fallback, { ...details, reason });
}
