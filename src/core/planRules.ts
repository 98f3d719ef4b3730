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
import {
  FALLBACK_MEMORY_RATIO,
  MEMORY_RATIOS,
  type MemoryRatio,
  measuredRatio,
} from './memoryRatios';
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

/** A variant's estimated peak memory, and what the estimate rests on. */
export interface Footprint {
  /** Estimated peak bytes while loading and running. */
  bytes: number;
  /** The bytes the runtime must hold at least once (its files), when known. */
  fileBytes: number | null;
  /** For the reason text, e.g. "3.8× file, measured q8 wasm". */
  basis: string;
}

/**
 * A variant's peak memory: the runtime's fixed overhead + its file bytes × the
 * measured peak ratio for (runtime, backend, dtype) (memoryRatios.ts; the
 * fallback ratio where none was measured). A manifest's `memoryBytes` can
 * raise the estimate, never lower it; alone it is used only when no file
 * sizes are known. Null when nothing is known.
 */
export function variantFootprint(
  variant: ManifestVariant,
  framework: Framework,
  files: FileSize[] | undefined,
  sizeBytes: number | undefined,
  ratios: readonly MemoryRatio[] = MEMORY_RATIOS,
): Footprint | null {
  const fromFiles = variantFiles(variant, files)?.reduce((sum, f) => sum + f.size, 0) ?? 0;
  const fileBytes = fromFiles > 0 ? fromFiles : sizeBytes && sizeBytes > 0 ? sizeBytes : null;
  const declared = variant.memoryBytes > 0 ? variant.memoryBytes : null;
  if (fileBytes === null) {
    return declared === null
      ? null
      : { bytes: declared, fileBytes: null, basis: "the manifest's memoryBytes" };
  }
  const measured = measuredRatio(framework, variant.backend, variant.dtype, ratios);
  const ratio = measured ?? FALLBACK_MEMORY_RATIO;
  const estimate = Math.ceil(ratio.fixedOverheadBytes + fileBytes * ratio.peakPerFileByte);
  const overhead =
    ratio.fixedOverheadBytes > 0 ? `${formatBytes(ratio.fixedOverheadBytes)} + ` : '';
  const of = fromFiles > 0 ? 'file' : 'download';
  const how = `${overhead}${ratio.peakPerFileByte.toFixed(1)}× ${of}`;
  const what = `${variant.dtype} ${variant.backend}`;
  if (declared !== null && declared > estimate) {
    return { bytes: declared, fileBytes, basis: `the manifest's memoryBytes, above ${how}` };
  }
  const basis = measured
    ? `${how}, measured ${what}`
    : `${how}, fallback: none measured for ${what}`;
  return { bytes: estimate, fileBytes, basis };
}

/** "est. 1.9 GB peak (3.8× file, measured q8 wasm)". */
export function describeFootprint(footprint: Footprint): string {
  return `est. ${formatBytes(footprint.bytes)} peak (${footprint.basis})`;
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
  footprint: Footprint | null,
): string[] {
  if (footprint === null) return [];
  const reasons: string[] = [];
  const budget = memoryBudget(report);
  if (budget && footprint.bytes > budget.bytes) {
    reasons.push(`${describeFootprint(footprint)}: over ${budget.label}`);
  }
  // The wasm heap must hold the weights at least once; the rest of the peak
  // (JS copies, the GPU side) may live outside it. Without file sizes, the peak.
  const heap = footprint.fileBytes ?? footprint.bytes;
  if (backend === 'wasm' && heap > WASM32_MEMORY_CAP) {
    const what =
      footprint.fileBytes === null ? describeFootprint(footprint) : `files ${formatBytes(heap)}`;
    reasons.push(`${what}: over WebAssembly's 4 GiB memory limit (wasm32)`);
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
