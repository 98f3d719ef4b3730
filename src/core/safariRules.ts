// What is publicly known to break in Safari 26, as planner rules keyed off the
// probe's platform (WebKit on an Apple OS + the Safari version). Sources and
// what each rule does not cover: docs/planner.md, "Safari 26".

import type { Framework } from './manifest';
import { safariVersion } from './platform';
import type { ProbeReport } from './probeReport';

/** Below WASM on one thread (50), above a software GPU (20). */
export const SAFARI_ORT_WEBGPU_SCORE = 40;

/**
 * onnxruntime-web on WebGPU in Safari 26: WebKit's optimizing compiler loops
 * on its wasm, the tab's CPU and memory keep growing after inference and iOS
 * kills it (onnxruntime#26827). Returns the reason to rank it below WASM, or
 * null where the rule does not apply.
 */
export function safariOrtWebGpuReason(report: ProbeReport, framework: Framework): string | null {
  if (framework !== 'onnx' && framework !== 'transformers') return null;
  const version = safariVersion(report.platform);
  if (version?.major !== 26) return null;
  return 'WebGPU through onnxruntime-web in Safari 26: ranked below WASM, WebKit keeps compiling its wasm and the tab’s memory grows until it is killed (onnxruntime#26827)';
}

/**
 * Safari 26.2 corrupts a growable shared memory used from several threads
 * ("Out of bounds memory access"; emscripten#25905, WebKit bug 303387), and
 * onnxruntime-web's memory grows. One thread avoids it. Null where it does not apply.
 */
export function safariSharedMemoryReason(report: ProbeReport): string | null {
  const version = safariVersion(report.platform);
  if (version?.major !== 26 || version.minor !== 2) return null;
  return '1 thread: Safari 26.2 breaks growable shared memory used by several threads (WebKit bug 303387)';
}
