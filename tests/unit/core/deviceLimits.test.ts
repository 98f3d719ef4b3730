// What each device class may hold and how many threads it gets, from its report.

import { describe, expect, it } from 'vitest';
import {
  APPLE_MOBILE_GPU_BUFFER_CAP,
  gpuBufferLimit,
  memoryBudget,
  threadCount,
} from '../../../src/core/deviceLimits';
import { buildDiagnosticsExport, diagnosticsFileName } from '../../../src/core/diagnosticsExport';
import { type DeviceName, device } from '../planner/devices';

const BUDGETS: Array<[DeviceName, { bytes: number; label: string } | null]> = [
  ['ipad-safari-26', { bytes: 1_500_000_000, label: "this iPad's 1.5 GB per-tab budget" }],
  ['iphone-safari-18', { bytes: 1_500_000_000, label: "this iPhone's 1.5 GB per-tab budget" }],
  [
    'android-chrome-midrange',
    { bytes: 2_000_000_000, label: "half of this Android phone's 4 GB of memory" },
  ],
  // deviceMemory reports at most 8 on desktops: no limit we can trust.
  ['mac-chrome-m2', null],
  ['windows-chrome-rtx4070', null],
  // Firefox does not report device memory.
  ['firefox-linux', null],
  ['chromium-default', null],
];

const GPU_LIMITS: Array<[DeviceName, number | null]> = [
  ['ipad-safari-26', APPLE_MOBILE_GPU_BUFFER_CAP],
  ['iphone-safari-18', null],
  ['android-chrome-midrange', 128 * 1024 * 1024],
  ['windows-chrome-rtx4070', 2 * 1024 ** 3 - 4],
  ['chromium-default', null],
  ['chromium-swiftshader', 1024 ** 3],
];

describe('memoryBudget', () => {
  for (const [name, budget] of BUDGETS) {
    it(`gives ${name} ${budget ? budget.label : 'no budget'}`, () => {
      expect(memoryBudget(device(name))).toEqual(budget);
    });
  }
});

describe('gpuBufferLimit', () => {
  for (const [name, limit] of GPU_LIMITS) {
    it(`gives ${name} a largest WebGPU buffer of ${limit ?? 'none'}`, () => {
      expect(gpuBufferLimit(device(name))).toBe(limit);
    });
  }
});

describe('threadCount', () => {
  it('gives min(cores, 4) threads when isolated, 1 when not', () => {
    expect(threadCount(device('windows-chrome-rtx4070')).threads).toBe(4);
    expect(threadCount(device('chromium-default')).threads).toBe(2);
    expect(threadCount(device('chromium-default-not-isolated'))).toEqual({
      threads: 1,
      reason: 'no threads: page is not cross-origin isolated',
    });
  });
});

describe('diagnostics export', () => {
  it('holds the probe report, the device summary and the models, and survives JSON', () => {
    const report = device('ipad-safari-26');
    const exportedAt = new Date('2026-11-20T10:00:00.000Z');
    const data = buildDiagnosticsExport({ report, models: [], exportedAt });
    expect(data.probe).toEqual(report);
    expect(data.exportedAt).toBe('2026-11-20T10:00:00.000Z');
    expect(data.device.memoryBudget?.bytes).toBe(1_500_000_000);
    expect(data.device.threads.threads).toBe(4);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(diagnosticsFileName(exportedAt)).toBe(
      'runanywhere-diagnostics-2026-11-20T10-00-00-000Z.json',
    );
  });
});
