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
  /**
   * How the page's planner will run this model here (backend and dtype): the
   * install prepares for it (a 4-bit model for wasm gets its int8 graph, see
   * download/deriveQ4Files). Kept with the record, so a resumed download does too.
   */
  plannedRun?: { device: string; dtype: string };
};

/** The user settings found in `value` (a stored record, a message, a caller's object); anything else is dropped. */
export function downloadSettingsFrom(value: unknown): DownloadSettings {
  if (typeof value !== 'object' || value === null) return {};
  const { connections, plannedRun } = value as Record<string, unknown>;
  const settings: DownloadSettings = {};
  if (typeof connections === 'number' && Number.isSafeInteger(connections) && connections >= 1)
    settings.connections = connections;
  const plan = plannedRunFrom(plannedRun);
  if (plan) settings.plannedRun = plan;
  return settings;
}

function plannedRunFrom(value: unknown): DownloadSettings['plannedRun'] | null {
  if (typeof value !== 'object' || value === null) return null;
  const { device, dtype } = value as Record<string, unknown>;
  const name = (s: unknown): s is string => typeof s === 'string' && /^[a-z0-9-]{1,16}$/.test(s);
  return name(device) && name(dtype) ? { device, dtype } : null;
}

/** The engine options a download runs with: the user's settings over the (test-only) knobs. */
export function engineOptionsFor(
  settings: DownloadSettings,
  knobs: EngineOptions = {},
): EngineOptions {
  return { ...knobs, ...downloadSettingsFrom(settings) };
}
