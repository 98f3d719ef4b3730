// What a user may set about a download, and the only options that are stored
// with it in IndexedDB and broadcast to other tabs. The engine's other knobs
// (backend, chunk size, retries, stall timeouts…) are not part of the
// production API: tests and benchmarks reach them through a test-only worker
// entry (tests/browser/pages/download-testing.worker.ts).

import type { EngineOptions } from './engineOptions';

// A type, not an interface, so that it is plain data to the stored record's type.
export type DownloadSettings = {
  /** Parallel Range requests (the engine's default when absent). */
  connections?: number;
};

/** The user settings found in `value` (a stored record, a message, a caller's object); anything else is dropped. */
export function downloadSettingsFrom(value: unknown): DownloadSettings {
  if (typeof value !== 'object' || value === null) return {};
  const { connections } = value as Record<string, unknown>;
  return typeof connections === 'number' && Number.isSafeInteger(connections) && connections >= 1
    ? { connections }
    : {};
}

/** The engine options a download runs with: the user's settings over the (test-only) knobs. */
export function engineOptionsFor(
  settings: DownloadSettings,
  knobs: EngineOptions = {},
): EngineOptions {
  return { ...knobs, ...downloadSettingsFrom(settings) };
}
