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
  /** A response that sends no byte for this long is abandoned and retried (default 30 s). */
  stallTimeoutMs: number;
  /**
   * A response slower than `minBytesPerSecond` over the last `slowWindowMs`
   * is abandoned and retried (defaults 20 s, 512 B/s; 0 B/s turns it off):
   * a host trickling a byte every few seconds is never silent long enough
   * for the stall timeout.
   */
  slowWindowMs: number;
  minBytesPerSecond: number;
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
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
/**
 * 10 KiB in 20 s per connection: GPRS-class links (~6 kB/s shared by four
 * connections) still pass; a host dribbling bytes to hold a connection does not.
 */
export const DEFAULT_SLOW_WINDOW_MS = 20_000;
export const DEFAULT_MIN_BYTES_PER_SECOND = 512;

export function engineSettings(options: EngineOptions = {}): EngineSettings {
  const connections = options.connections ?? 4;
  if (!Number.isSafeInteger(connections) || connections < 1) {
    throw new RangeError(`connections must be a positive integer, got ${connections}`);
  }
  const slowWindowMs = options.slowWindowMs ?? DEFAULT_SLOW_WINDOW_MS;
  if (!(slowWindowMs > 0))
    throw new RangeError(`slowWindowMs must be positive, got ${slowWindowMs}`);
  const minBytesPerSecond = options.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND;
  if (!(minBytesPerSecond >= 0)) {
    throw new RangeError(`minBytesPerSecond must be 0 or more, got ${minBytesPerSecond}`);
  }
  return {
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    connections,
    stallTimeoutMs: options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
    slowWindowMs,
    minBytesPerSecond,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    verification: options.verification ?? 'chunks',
    backend: options.backend ?? null,
    progressIntervalMs: options.progressIntervalMs ?? 250,
  };
}
