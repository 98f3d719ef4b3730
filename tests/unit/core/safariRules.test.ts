// The Safari 26 rules, each on its own: which platforms they apply to, and the
// exact reason a user reads. Sources: docs/planner.md, "Safari 26".

import { describe, expect, it } from 'vitest';
import type { Framework } from '../../../src/core/manifest';
import type { ProbeReport } from '../../../src/core/probeReport';
import { safariOrtWebGpuReason, safariSharedMemoryReason } from '../../../src/core/safariRules';
import { type DeviceName, device, variantOf } from '../planner/devices';

const ORT_WEBGPU =
  'WebGPU through onnxruntime-web in Safari 26: ranked below WASM, WebKit keeps compiling its wasm and the tab’s memory grows until it is killed (onnxruntime#26827)';
const SHARED_MEMORY =
  '1 thread: Safari 26.2 breaks growable shared memory used by several threads (WebKit bug 303387)';

/** A device's report with its Safari version token changed. */
function onSafari(name: DeviceName, version: string): ProbeReport {
  return variantOf(name, (r) => {
    r.platform.userAgent = r.platform.userAgent.replace(/Version\/[\d.]+/, `Version/${version}`);
  });
}

const ORT_CASES: Array<{
  on: string;
  report: ProbeReport;
  framework: Framework;
  reason: string | null;
}> = [
  {
    on: 'iPad Safari 26.0, transformers.js',
    report: device('ipad-safari-26'),
    framework: 'transformers',
    reason: ORT_WEBGPU,
  },
  {
    on: 'iPad Safari 26.2, onnx',
    report: device('ipad-safari-26-2'),
    framework: 'onnx',
    reason: ORT_WEBGPU,
  },
  {
    on: 'Mac Safari 26.1, onnx',
    report: device('mac-safari-26'),
    framework: 'onnx',
    reason: ORT_WEBGPU,
  },
  {
    on: 'Mac Safari 26.1, TFLite (LiteRT.js, not onnxruntime-web)',
    report: device('mac-safari-26'),
    framework: 'tflite',
    reason: null,
  },
  {
    on: 'iPhone Safari 18.6',
    report: device('iphone-safari-18'),
    framework: 'transformers',
    reason: null,
  },
  {
    on: 'iPad Safari 27.0',
    report: onSafari('ipad-safari-26', '27.0'),
    framework: 'transformers',
    reason: null,
  },
  {
    on: 'Chrome on a Mac',
    report: device('mac-chrome-m2'),
    framework: 'transformers',
    reason: null,
  },
  { on: 'WebKitGTK on Linux', report: device('webkitgtk-linux'), framework: 'onnx', reason: null },
];

describe('onnxruntime-web WebGPU below WASM in Safari 26 (onnxruntime#26827)', () => {
  for (const c of ORT_CASES) {
    it(`${c.reason ? 'applies' : 'does not apply'}: ${c.on}`, () => {
      expect(safariOrtWebGpuReason(c.report, c.framework)).toBe(c.reason);
    });
  }
});

const THREAD_CASES: Array<{ on: string; report: ProbeReport; reason: string | null }> = [
  { on: 'iPad Safari 26.2', report: device('ipad-safari-26-2'), reason: SHARED_MEMORY },
  { on: 'Mac Safari 26.2', report: onSafari('mac-safari-26', '26.2'), reason: SHARED_MEMORY },
  {
    on: 'iPhone Safari 26.2.1',
    report: onSafari('iphone-safari-18', '26.2.1'),
    reason: SHARED_MEMORY,
  },
  { on: 'iPad Safari 26.0', report: device('ipad-safari-26'), reason: null },
  { on: 'Mac Safari 26.1', report: device('mac-safari-26'), reason: null },
  { on: 'iPad Safari 26.3', report: onSafari('ipad-safari-26-2', '26.3'), reason: null },
  { on: 'iPhone Safari 18.6', report: device('iphone-safari-18'), reason: null },
  { on: 'Chrome on a Mac', report: device('mac-chrome-m2'), reason: null },
];

describe('one thread on Safari 26.2 (growable shared memory, WebKit bug 303387)', () => {
  for (const c of THREAD_CASES) {
    it(`${c.reason ? 'applies' : 'does not apply'}: ${c.on}`, () => {
      expect(safariSharedMemoryReason(c.report)).toBe(c.reason);
    });
  }
});

describe('the Safari 26 profiles report what Safari 26 lacks', () => {
  for (const name of ['ipad-safari-26', 'ipad-safari-26-2', 'mac-safari-26'] as const) {
    it(`${name}: no JSPI, no memory64, no relaxed SIMD`, () => {
      const { wasm } = device(name);
      expect({ jspi: wasm.jspi, memory64: wasm.memory64, relaxedSimd: wasm.relaxedSimd }).toEqual({
        jspi: false,
        memory64: false,
        relaxedSimd: false,
      });
    });
  }
});
