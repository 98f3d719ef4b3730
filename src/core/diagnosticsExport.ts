// The diagnostics report a user can export: the probe report, what it means
// for this device (budgets, threads), and the plan for every model, as one JSON.

import {
  gpuBufferLimit,
  type MemoryBudget,
  memoryBudget,
  type ThreadVerdict,
  threadCount,
} from './deviceLimits';
import type { Framework } from './manifest';
import type { ModelPlanResult } from './planner';
import type { ProbeReport } from './probeReport';

export const DIAGNOSTICS_SCHEMA = 1;

export interface DeviceSummary {
  memoryBudget: MemoryBudget | null;
  /** Largest WebGPU buffer, after platform caps; null without an adapter. */
  gpuBufferBytes: number | null;
  threads: ThreadVerdict;
}

export interface DiagnosticsModel {
  id: string;
  name: string;
  version: string;
  framework: Framework;
  manifestUrl: string;
  /** Null when the manifest could not be read; `error` says why. */
  plan: ModelPlanResult | null;
  error: string | null;
}

export interface DiagnosticsExport {
  schema: typeof DIAGNOSTICS_SCHEMA;
  exportedAt: string;
  device: DeviceSummary;
  probe: ProbeReport;
  models: DiagnosticsModel[];
}

export function summarizeDevice(report: ProbeReport): DeviceSummary {
  return {
    memoryBudget: memoryBudget(report),
    gpuBufferBytes: gpuBufferLimit(report),
    threads: threadCount(report),
  };
}

export function buildDiagnosticsExport(options: {
  report: ProbeReport;
  models: DiagnosticsModel[];
  exportedAt: Date;
}): DiagnosticsExport {
  return {
    schema: DIAGNOSTICS_SCHEMA,
    exportedAt: options.exportedAt.toISOString(),
    device: summarizeDevice(options.report),
    probe: options.report,
    models: options.models,
  };
}

/** A file name that sorts by time and is safe on every OS. */
export function diagnosticsFileName(exportedAt: Date): string {
  return `runanywhere-diagnostics-${exportedAt.toISOString().replace(/[:.]/g, '-')}.json`;
}
