// What a device can hold and how many threads it can give, derived from a
// probe report by the rules in docs/planner.md. Pure: no browser globals.

import type { ProbeReport } from './probeReport';
import { safariSharedMemoryReason } from './safariRules';

/** iOS/iPadOS let one web process grow to about 1.5 GB before it is killed. */
export const APPLE_MOBILE_TAB_BUDGET = 1_500_000_000;
/** iOS/iPadOS WebGPU buffers are capped near 1 GiB. */
export const APPLE_MOBILE_GPU_BUFFER_CAP = 1024 ** 3;
/** wasm32 addresses 4 GiB at most. */
export const WASM32_MEMORY_CAP = 4 * 1024 ** 3;
/** More than 4 threads rarely speeds up inference in a browser and starves the page. */
export const MAX_THREADS = 4;
/** `navigator.deviceMemory` was long capped at 8 (GB): 8 may mean "8 or more". */
const DEVICE_MEMORY_CEILING_GB = 8;

export interface MemoryBudget {
  bytes: number;
  /** Why this budget, in the user's words, e.g. "this iPad's 1.5 GB per-tab budget". */
  label: string;
}

export interface ThreadVerdict {
  threads: number;
  reason: string;
}

/** The device in a few words: "this iPad", "this Android phone". */
export function deviceNoun(report: ProbeReport): string {
  switch (report.platform.os) {
    case 'ipados':
      return 'this iPad';
    case 'ios':
      return 'this iPhone';
    case 'android':
      return report.platform.mobile ? 'this Android phone' : 'this Android device';
    case 'macos':
      return 'this Mac';
    default:
      return 'this device';
  }
}

export function isAppleMobile(report: ProbeReport): boolean {
  return report.platform.os === 'ios' || report.platform.os === 'ipados';
}

/** The most memory one model may take in this tab, or null when nothing limits it that we know of. */
export function memoryBudget(report: ProbeReport): MemoryBudget | null {
  const noun = deviceNoun(report);
  if (isAppleMobile(report)) {
    return { bytes: APPLE_MOBILE_TAB_BUDGET, label: `${noun}'s 1.5 GB per-tab budget` };
  }
  const gb = report.device.deviceMemoryGB;
  if (gb === null || gb <= 0) return null;
  const ram = gb * 1_000_000_000;
  // Phones kill big tabs well before RAM runs out: keep a model to half of it.
  if (report.platform.mobile) {
    return { bytes: ram / 2, label: `half of ${noun}'s ${gb} GB of memory` };
  }
  // On desktops the hint was long capped at 8: it only limits when it says less.
  if (gb >= DEVICE_MEMORY_CEILING_GB) return null;
  return { bytes: ram, label: `${noun}'s ${gb} GB of memory` };
}

/** The largest single WebGPU buffer this device takes, or null without an adapter. */
export function gpuBufferLimit(report: ProbeReport): number | null {
  const adapter = report.webgpu.adapter;
  if (!adapter) return null;
  const { maxBufferSize, maxStorageBufferBindingSize } = adapter.limits;
  const limit = Math.min(maxBufferSize, maxStorageBufferBindingSize);
  return isAppleMobile(report) ? Math.min(limit, APPLE_MOBILE_GPU_BUFFER_CAP) : limit;
}

/** How many WebAssembly threads a runtime should use, and why. */
export function threadCount(report: ProbeReport): ThreadVerdict {
  if (!report.isolation.crossOriginIsolated) {
    return { threads: 1, reason: 'no threads: page is not cross-origin isolated' };
  }
  if (!report.isolation.sharedArrayBuffer || !report.wasm.sharedMemory) {
    return { threads: 1, reason: 'no threads: this browser offers no SharedArrayBuffer' };
  }
  if (!report.wasm.threads) {
    return { threads: 1, reason: 'no threads: WebAssembly threads are not supported' };
  }
  const safari = safariSharedMemoryReason(report);
  if (safari) return { threads: 1, reason: safari };
  const cores = report.device.cores;
  if (cores === null) {
    return { threads: 2, reason: '2 threads: cross-origin isolated, core count hidden' };
  }
  const threads = Math.max(1, Math.min(MAX_THREADS, cores));
  const reason =
    threads === 1
      ? '1 thread: this device reports a single core'
      : `${threads} threads: cross-origin isolated, ${cores} cores`;
  return { threads, reason };
}
