// The capability probe: reads what this browser and device offer and returns a
// plain, serialisable report. Steps run in parallel, each time-limited; none throws.

import { detectPlatform } from '../core/platform';
import {
  type DeviceReport,
  type IsolationReport,
  PROBE_REPORT_SCHEMA,
  type ProbeIssue,
  type ProbeReport,
} from '../core/probeReport';
import { detectWasmFeatures, NO_WASM } from './detectWasmFeatures';
import { probePlatform } from './probePlatform';
import { probePromptApi } from './probePromptApi';
import { runStep } from './probeStep';
import { probePageStorage, probeWorkerStorage } from './probeStorage';
import { probeWebGpu } from './probeWebGpu';
import { probeWebnn } from './probeWebnn';

export interface ProbeOptions {
  /** Limit for each step, in ms. A slow GPU driver or worker start must not stall the app. */
  stepTimeoutMs?: number;
}

export async function runProbe(options: ProbeOptions = {}): Promise<ProbeReport> {
  const timeoutMs = options.stepTimeoutMs ?? 5000;
  const started = performance.now();
  const issues: ProbeIssue[] = [];
  const step = <T>(name: string, work: (signal: AbortSignal) => T | Promise<T>, fallback: T) =>
    runStep(name, work, { fallback, timeoutMs, issues });

  const [platform, webgpu, wasm, pageStorage, workerStorage, webnn, promptApi] = await Promise.all([
    // Without client hints the user agent alone still names the platform.
    step('platform', probePlatform, platformFromUserAgent()),
    step('webgpu', probeWebGpu, { api: false, adapter: null }),
    step('wasm', detectWasmFeatures, { ...NO_WASM }),
    step('storage', probePageStorage, {
      quotaBytes: null,
      usageBytes: null,
      persisted: null,
      opfs: false,
    }),
    step('storage-worker', probeWorkerStorage, {
      workerOpfs: false,
      syncAccessHandle: false,
      error: '',
    }),
    step('webnn', probeWebnn, { api: false, context: false }),
    step('prompt-api', probePromptApi, { api: false, availability: null }),
  ]);
  if (workerStorage.error) issues.push({ step: 'storage-worker', message: workerStorage.error });

  return {
    schema: PROBE_REPORT_SCHEMA,
    probedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    platform,
    webgpu,
    wasm,
    isolation: readIsolation(),
    device: readDevice(),
    storage: {
      ...pageStorage,
      workerOpfs: workerStorage.workerOpfs,
      syncAccessHandle: workerStorage.syncAccessHandle,
    },
    webnn,
    promptApi,
    issues,
  };
}

function platformFromUserAgent() {
  const nav = globalThis.navigator;
  return detectPlatform({
    userAgent: nav?.userAgent ?? '',
    maxTouchPoints: nav?.maxTouchPoints ?? 0,
  });
}

function readIsolation(): IsolationReport {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
  };
}

function readDevice(): DeviceReport {
  const nav = navigator as Navigator & { deviceMemory?: number };
  const memory = (performance as Performance & { memory?: { jsHeapSizeLimit?: number } }).memory;
  return {
    cores: positiveOrNull(nav.hardwareConcurrency),
    deviceMemoryGB: positiveOrNull(nav.deviceMemory),
    jsHeapSizeLimit: positiveOrNull(memory?.jsHeapSizeLimit),
  };
}

function positiveOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}
