// Runs one probe step under a time limit. A step never throws: when it fails
// or takes too long, its fallback facts stand and the reason is noted.

import type { ProbeIssue } from '../core/probeReport';

export interface StepOptions<T> {
  /** Facts to report when the step fails or times out: "absent", never a guess. */
  fallback: T;
  timeoutMs: number;
  /** Collects what went wrong, for the report's `issues`. */
  issues: ProbeIssue[];
}

const TIMED_OUT = Symbol('timed out');

export async function runStep<T>(
  step: string,
  /** Gets a signal that aborts on timeout, to stop what it started (e.g. a worker). */
  work: (signal: AbortSignal) => T | Promise<T>,
  options: StepOptions<T>,
): Promise<T> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(TIMED_OUT);
    }, options.timeoutMs);
  });
  try {
    // `work` may throw synchronously; calling it inside the async chain catches that too.
    const outcome = await Promise.race([Promise.resolve().then(() => work(abort.signal)), timeout]);
    if (outcome === TIMED_OUT) {
      options.issues.push({ step, message: `timed out after ${options.timeoutMs} ms` });
      return options.fallback;
    }
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    options.issues.push({ step, message });
    return options.fallback;
  } finally {
    clearTimeout(timer);
  }
}
