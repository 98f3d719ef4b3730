// The download engine's knobs and their defaults, in one options object that
// the app, the tests and the benchmark pass (every field optional).

import type { Verification } from '../core/chunkPlan';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/retrySchedule';
import type { StoreKind } from '../storage/db';

export interface EngineSettings {
  /** Bytes per chunk when the manifest's chunk hashes are not used (default 8 MiB). */
  chunkSize: number;
  /** Parallel Range requests (default 4). */
  connections: number;
  /**
   * Most bytes one Range request asks for (default 0: one chunk): consecutive
   * missing chunks are fetched together, each still verified and journaled as
   * its bytes pass. Each request costs the browser ~15–20 ms of CPU, which a
   * fast (CPU-bound) download feels. Only streaming backends (OPFS sync
   * access handles) use spans; the others take one chunk per request.
   */
  spanSize: number;
  /** A response that sends no byte for this long is abandoned and retried (default 30 s). */
  stallTimeoutMs: number;
  retry: RetryPolicy;
  /** 'chunks' verifies each manifest chunk; 'whole-file' only the file's SHA-256. */
  verification: Verification;
  /** Storage backend; null probes for the best available. */
  backend: StoreKind | null;
  /** Least time between progress reports. */
  progressIntervalMs: number;
}

export type EngineOptions = Partial<Omit<EngineSettings, 'retry'>> & {
  retry?: Partial<RetryPolicy>;
};

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
/**
 * Off by default (one chunk per request): measured in Chromium, an interrupted
 * span request kept receiving bytes far past the chunk in flight, breaking the
 * "lose at most one chunk per connection" bound (docs/downloads.md).
 */
export const DEFAULT_SPAN_SIZE = 0;

export function engineSettings(options: EngineOptions = {}): EngineSettings {
  const connections = options.connections ?? 4;
  if (!Number.isSafeInteger(connections) || connections < 1) {
    throw new RangeError(`connections must be a positive integer, got ${connections}`);
  }
  const spanSize = options.spanSize ?? DEFAULT_SPAN_SIZE;
  if (!Number.isSafeInteger(spanSize) || spanSize < 0) {
    throw new RangeError(`spanSize must be a non-negative integer, got ${spanSize}`);
  }
  return {
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    connections,
    spanSize,
    stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    verification: options.verification ?? 'chunks',
    backend: options.backend ?? null,
    progressIntervalMs: options.progressIntervalMs ?? 250,
  };
}
