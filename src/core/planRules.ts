// The rules that refuse a variant on a device, each returning the reasons in
// the user's words. The planner (planner.ts) runs them all and ranks the rest.

import {
  deviceNoun,
  gpuBufferLimit,
  isAppleMobile,
  memoryBudget,
  WASM32_MEMORY_CAP,
} from './deviceLimits';
import type { Backend, Dtype, Framework, ManifestVariant } from './manifest';
import type { ProbeReport } from './probeReport';
import { formatBytes } from './progress';

/** A manifest variant, optionally with the size of its largest tensor (for the GPU buffer rule). */
export interface PlannerVariant extends ManifestVariant {
  largestTensorBytes?: number;
}

export interface FileSize {
  path: string;
  size: number;
}

/** Dtypes whose weights or math are fp16: on WebGPU they need `shader-f16`. */
export const FP16_DTYPES: readonly Dtype[] = ['fp16', 'q4f16'];

interface FeatureCheck {
  label: string;
  has(report: ProbeReport): boolean;
}

// Feature names a manifest may list in `requiredFeatures`. Any other name is
// taken to be a WebGPU adapter feature (e.g. `subgroups`, `timestamp-query`).
const FEATURES: Record<string, FeatureCheck> = {
  'wasm-simd': { label: 'WebAssembly SIMD', has: (r) => r.wasm.simd },
  'relaxed-simd': { label: 'WebAssembly relaxed SIMD', has: (r) => r.wasm.relaxedSimd },
  'wasm-threads': {
    label: 'WebAssembly threads (cross-origin isolation)',
    has: (r) => r.wasm.threads && r.wasm.sharedMemory && r.isolation.crossOriginIsolated,
  },
  memory64: { label: 'WebAssembly memory64', has: (r) => r.wasm.memory64 },
  jspi: { label: 'WebAssembly JSPI', has: (r) => r.wasm.jspi },
  'cross-origin-isolated': {
    label: 'a cross-origin isolated page',
    has: (r) => r.isolation.crossOriginIsolated,
  },
  'opfs-sync-access': {
    label: 'OPFS sync access handles',
    has: (r) => r.storage.syncAccessHandle,
  },
  webnn: { label: 'WebNN', has: (r) => r.webnn.context },
  'prompt-api': { label: 'the built-in Prompt API', has: (r) => r.promptApi.api },
};

/** Reasons the device lacks a feature the variant names or implies; empty when it has them all. */
export function missingFeatures(report: ProbeReport, variant: ManifestVariant): string[] {
  const needed = new Set(variant.requiredFeatures);
  if (variant.backend === 'webgpu' && FP16_DTYPES.includes(variant.dtype)) needed.add('shader-f16');
  const reasons: string[] = [];
  for (const name of needed) {
    const check = FEATURES[name];
    if (check) {
      if (!check.has(report)) reasons.push(`needs ${check.label}`);
      continue;
    }
    const adapter = report.webgpu.adapter;
    // No adapter at all is already the backend's reason; one is enough.
    if (!adapter && variant.backend === 'webgpu') continue;
    if (!adapter?.features.includes(name)) reasons.push(`needs WebGPU ${name}`);
  }
  return reasons;
}

/** Reasons the backend itself cannot run here. */
export function missingBackend(
  report: ProbeReport,
  backend: Backend,
  framework: Framework,
): string[] {
  const reasons: string[] = [];
  // Every runtime here (onnxruntime-web, LiteRT.js) runs its host code in WebAssembly.
  if (!report.wasm.supported) return ['needs WebAssembly: this browser has none'];
  // LiteRT.js and tfjs-tflite bring builds without SIMD; onnxruntime-web does not.
  if (backend === 'wasm' && framework !== 'tflite' && !report.wasm.simd) {
    reasons.push('needs WebAssembly SIMD: onnxruntime-web ships SIMD builds only');
  }
  if (backend === 'webgpu') {
    if (!report.webgpu.api) reasons.push('needs WebGPU: this browser has none');
    else if (!report.webgpu.adapter) {
      reasons.push('needs WebGPU: the browser offers no adapter (GPU blocked or disabled)');
    }
  }
  if (backend === 'webnn') {
    if (!report.webnn.api) reasons.push('needs WebNN: this browser has none');
    else if (!report.webnn.context) reasons.push('needs WebNN: no WebNN context could be created');
  }
  return reasons;
}

/** Bytes a variant needs in memory: its declared peak, else its files, else the model's size. */
export function variantFootprint(
  variant: ManifestVariant,
  files: FileSize[] | undefined,
  sizeBytes: number | undefined,
): number | null {
  if (variant.memoryBytes > 0) return variant.memoryBytes;
  const fromFiles = variantFiles(variant, files)?.reduce((sum, f) => sum + f.size, 0);
  if (fromFiles) return fromFiles;
  return sizeBytes && sizeBytes > 0 ? sizeBytes : null;
}

function variantFiles(variant: ManifestVariant, files: FileSize[] | undefined): FileSize[] | null {
  if (!files) return null;
  const wanted = new Set(variant.files);
  return files.filter((f) => wanted.has(f.path));
}

/** Reasons the variant does not fit the device's memory. */
export function overMemory(
  report: ProbeReport,
  backend: Backend,
  footprint: number | null,
): string[] {
  if (footprint === null) return [];
  const reasons: string[] = [];
  const budget = memoryBudget(report);
  if (budget && footprint > budget.bytes) {
    reasons.push(`${formatBytes(footprint)}: over ${budget.label}`);
  }
  if (backend === 'wasm' && footprint > WASM32_MEMORY_CAP) {
    reasons.push(`${formatBytes(footprint)}: over WebAssembly's 4 GiB memory limit (wasm32)`);
  }
  return reasons;
}

/** Reasons a WebGPU variant's largest buffer does not fit the adapter's limits. */
export function overGpuBuffer(
  report: ProbeReport,
  variant: PlannerVariant,
  files: FileSize[] | undefined,
): string[] {
  const limit = gpuBufferLimit(report);
  if (variant.backend !== 'webgpu' || limit === null) return [];
  const where = isAppleMobile(report) ? `${deviceNoun(report)}'s` : 'the adapter’s';
  if (variant.largestTensorBytes !== undefined) {
    if (variant.largestTensorBytes <= limit) return [];
    return [
      `largest tensor ${formatBytes(variant.largestTensorBytes)}: over ${where} ${formatBytes(limit)} WebGPU buffer limit`,
    ];
  }
  // Without tensor sizes, the largest file bounds the largest tensor from above.
  const largest = Math.max(0, ...(variantFiles(variant, files)?.map((f) => f.size) ?? []));
  if (largest <= limit) return [];
  return [
    `largest file ${formatBytes(largest)} (no tensor sizes listed): over ${where} ${formatBytes(limit)} WebGPU buffer limit`,
  ];
}
