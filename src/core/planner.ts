// The planner: probe report + a model's variants → the ways this device can
// run it, best first, each with its reasons, and the variants it refuses with
// theirs. Pure and deterministic; the rules are documented in docs/planner.md.

import { deviceNoun, memoryBudget, type ThreadVerdict, threadCount } from './deviceLimits';
import { AppError } from './errors';
import {
  type Backend,
  type Dtype,
  type Framework,
  type ModelManifest,
  manifestSize,
} from './manifest';
import {
  describeFootprint,
  type FileSize,
  type Footprint,
  FP16_DTYPES,
  missingBackend,
  missingFeatures,
  overGpuBuffer,
  overMemory,
  type PlannerVariant,
  variantFootprint,
} from './planRules';
import type { ProbeReport } from './probeReport';
import { formatBytes } from './progress';
import { SAFARI_ORT_WEBGPU_SCORE, safariOrtWebGpuReason } from './safariRules';

export type { PlannerVariant } from './planRules';

/** `builtin` runs in the browser's own model (Prompt API), outside our runtimes. */
export type PlanBackend = Backend | 'builtin';

export interface PlannerModel {
  id: string;
  framework: Framework;
  /** e.g. `text-generation`: LLMs suffer most on a software GPU. */
  task?: string;
  variants: PlannerVariant[];
  /** The model's files with their sizes (a manifest's `files`), for footprints and buffer limits. */
  files?: FileSize[];
  /** Total download size, used when a variant declares no memory need and no files are given. */
  sizeBytes?: number;
}

export interface ModelPlan {
  backend: PlanBackend;
  dtype: Dtype;
  /** WebAssembly threads the runtime should use; 0 when the browser runs the model itself. */
  threads: number;
  variant: PlannerVariant;
  /** Higher is better; only the order matters. */
  score: number;
  reasons: string[];
}

export interface RefusedVariant {
  variant: PlannerVariant;
  reasons: string[];
}

export interface ModelPlanResult {
  modelId: string;
  plans: ModelPlan[];
  refused: RefusedVariant[];
}

// Backend order: a real GPU first, then WebNN, then the CPU (threads help),
// and a software GPU last: it is the CPU too, through more layers.
const BACKEND_SCORE = { gpu: 100, webnn: 70, wasm: 50, wasmThreads: 60, softwareGpu: 20 };

// Within a backend, dtypes ranked by speed and memory. Below 10, so that the
// backend always decides first.
const DTYPE_SCORE_GPU_F16: Partial<Record<Dtype, number>> = {
  q4f16: 9,
  q4: 7,
  fp16: 6,
  q8: 3,
  int8: 3,
  uint8: 3,
  fp32: 1,
};
const DTYPE_SCORE_GPU: Partial<Record<Dtype, number>> = {
  q4: 7,
  q8: 3,
  int8: 3,
  uint8: 3,
  fp32: 1,
};
// On the CPU, q4 ranks below fp32: onnxruntime-web's wasm build has no packed
// 4-bit kernel, so MatMulNBits dequantizes every weight on every call
// (measured 61.5 ms/token for q4 against 11.0 for q8 and 10.5 for fp32 on a
// SmolLM2-shaped slice, docs/benchmarks.md). q4 still wins where memory
// refuses the bigger variants.
const DTYPE_SCORE_CPU: Record<Dtype, number> = {
  q8: 9,
  int8: 9,
  fp32: 5,
  q4: 4,
  fp16: 1,
  q4f16: 1,
  // Hub dtypes: uint8 is 8-bit like q8 (unsigned weights); bnb4 is 4-bit like q4
  // (MatMulBnb4, dequantized per call on the CPU like MatMulNBits).
  uint8: 9,
  bnb4: 3,
};

/** Ranks every variant of `model` on the device described by `report`. */
export function planModel(report: ProbeReport, model: PlannerModel): ModelPlanResult {
  const plans: Array<ModelPlan & { footprint: number }> = [];
  const refused: RefusedVariant[] = [];
  for (const variant of model.variants) {
    const footprint = variantFootprint(variant, model.framework, model.files, model.sizeBytes);
    const verdict =
      model.framework === 'builtin'
        ? planBuiltin(report, variant)
        : planVariant(report, model, variant, footprint);
    if ('refusal' in verdict) refused.push({ variant, reasons: verdict.refusal });
    else plans.push({ ...verdict.plan, footprint: footprint?.bytes ?? 0 });
  }
  // Best score first; on a tie the smaller footprint, then manifest order (sort is stable).
  plans.sort((a, b) => b.score - a.score || a.footprint - b.footprint);
  return { modelId: model.id, plans: plans.map(({ footprint: _, ...plan }) => plan), refused };
}

/** The plan to load with, or null when the device can run no variant. */
export function bestPlan(report: ProbeReport, model: PlannerModel): ModelPlan | null {
  return planModel(report, model).plans[0] ?? null;
}

/** The plan to load with; throws `unsupported-device` with every variant's reasons when none fits. */
export function requirePlan(report: ProbeReport, model: PlannerModel): ModelPlan {
  const result = planModel(report, model);
  const plan = result.plans[0];
  if (plan) return plan;
  throw new AppError('unsupported-device', {
    modelId: model.id,
    refused: result.refused.map((r) => ({
      backend: r.variant.backend,
      dtype: r.variant.dtype,
      reasons: r.reasons,
    })),
  });
}

type Verdict = { plan: ModelPlan } | { refusal: string[] };

function planVariant(
  report: ProbeReport,
  model: PlannerModel,
  variant: PlannerVariant,
  footprint: Footprint | null,
): Verdict {
  const refusal = [
    ...missingBackend(report, variant.backend, model.framework),
    ...missingFeatures(report, variant),
    ...overMemory(report, variant.backend, footprint),
    ...overGpuBuffer(report, variant, model.files),
  ];
  if (refusal.length > 0) return { refusal };

  const reasons: string[] = [];
  const threads = threadsFor(report, model.framework);
  const score =
    backendScore({ report, model, backend: variant.backend, threads: threads.threads, reasons }) +
    dtypeScore(report, variant, model.framework);
  reasons.push(...dtypeReasons(variant, model.framework));
  reasons.push(threads.reason);
  reasons.push(fitReason(report, footprint));
  const storage = storageReason(report, model.sizeBytes);
  if (storage) reasons.push(storage);
  return {
    plan: {
      backend: variant.backend,
      dtype: variant.dtype,
      threads: threads.threads,
      variant,
      score,
      reasons,
    },
  };
}

function planBuiltin(report: ProbeReport, variant: PlannerVariant): Verdict {
  const { api, availability } = report.promptApi;
  if (!api) return { refusal: ['needs the built-in Prompt API: this browser has none'] };
  switch (availability) {
    case 'available':
      return builtinPlan(variant, 100, 'built into the browser and ready: nothing to download');
    case 'downloadable':
      return builtinPlan(
        variant,
        90,
        'built into the browser; it downloads the model on first use',
      );
    case 'downloading':
      return builtinPlan(variant, 90, 'built into the browser; its model is downloading now');
    case 'unavailable':
      return { refusal: ['the built-in model is unavailable on this device'] };
    default:
      return { refusal: ['the built-in Prompt API did not answer when asked for availability'] };
  }
}

function builtinPlan(variant: PlannerVariant, score: number, reason: string): Verdict {
  return {
    plan: {
      backend: 'builtin',
      dtype: variant.dtype,
      threads: 0,
      variant,
      score,
      reasons: [reason],
    },
  };
}

function backendScore(options: {
  report: ProbeReport;
  model: PlannerModel;
  backend: Backend;
  threads: number;
  /** Receives the reason for the backend's rank. */
  reasons: string[];
}): number {
  const { report, model, backend, reasons } = options;
  if (backend === 'webgpu') {
    const adapter = report.webgpu.adapter;
    const name = [adapter?.vendor, adapter?.architecture].filter(Boolean).join(' ') || 'unnamed';
    if (adapter?.isFallbackAdapter) {
      const what = model.task === 'text-generation' ? 'for LLMs' : 'for most models';
      reasons.push(
        `WebGPU on a software fallback adapter (${name}): usable, but slower than WASM ${what}`,
      );
      return BACKEND_SCORE.softwareGpu;
    }
    reasons.push(`WebGPU on a hardware adapter (${name})`);
    const safari = safariOrtWebGpuReason(report, model.framework);
    if (safari) {
      reasons.push(safari);
      return SAFARI_ORT_WEBGPU_SCORE;
    }
    return BACKEND_SCORE.gpu;
  }
  if (backend === 'webnn') {
    reasons.push('WebNN: a context could be created');
    return BACKEND_SCORE.webnn;
  }
  const gpu = report.webgpu.adapter;
  reasons.push(
    gpu && !gpu.isFallbackAdapter && !safariOrtWebGpuReason(report, model.framework)
      ? 'WebAssembly with SIMD on the CPU: slower than this device’s WebGPU'
      : 'WebAssembly with SIMD on the CPU',
  );
  return options.threads > 1 ? BACKEND_SCORE.wasmThreads : BACKEND_SCORE.wasm;
}

/** The general thread verdict, narrowed by what each runtime is known to manage. */
function threadsFor(report: ProbeReport, framework: Framework): ThreadVerdict {
  const verdict = threadCount(report);
  if (framework !== 'tflite' || verdict.threads === 1) return verdict;
  // LiteRT.js refuses threads without relaxed SIMD (its loader says so), and with
  // `threads: true` it hung inside a worker here (../shared/ENVIRONMENT.md).
  if (!report.wasm.relaxedSimd) {
    return { threads: 1, reason: 'no threads: LiteRT.js runs threads only with relaxed SIMD' };
  }
  return { threads: 1, reason: 'no threads: LiteRT.js threads hang inside a worker' };
}

function hasF16(report: ProbeReport): boolean {
  return report.webgpu.adapter?.features.includes('shader-f16') ?? false;
}

function dtypeScore(report: ProbeReport, variant: PlannerVariant, framework: string): number {
  if (rewritesQ4(variant, framework)) return Q4_REWRITTEN_SCORE;
  if (variant.backend !== 'webgpu') return DTYPE_SCORE_CPU[variant.dtype];
  const table = hasF16(report) ? DTYPE_SCORE_GPU_F16 : DTYPE_SCORE_GPU;
  return table[variant.dtype] ?? 0;
}

// The transformers.js worker rewrites a q4 model's MatMulNBits into q8's int8
// kernels at load on wasm (src/core/onnx/rewriteQ4Model.ts): measured at q8's
// speed (`npm run bench:q4`, docs/benchmarks.md), with half the download. It
// still ranks below q8: the rewrite costs load time and moves the logits a little.
const Q4_REWRITTEN_SCORE = 7;

function rewritesQ4(variant: PlannerVariant, framework: string): boolean {
  return framework === 'transformers' && variant.backend === 'wasm' && variant.dtype === 'q4';
}

function dtypeReasons(variant: PlannerVariant, framework: string): string[] {
  if (rewritesQ4(variant, framework)) {
    return [
      'q4 rewritten to int8 kernels (at install, else at load): about q8 speed, half the download',
    ];
  }
  if (variant.backend === 'webgpu') {
    return FP16_DTYPES.includes(variant.dtype)
      ? ['shader-f16 available: fp16 math on the GPU']
      : [];
  }
  if (FP16_DTYPES.includes(variant.dtype)) {
    return [`${variant.dtype} on the CPU: no fp16 math there, slower than q8`];
  }
  return [];
}

function fitReason(report: ProbeReport, footprint: Footprint | null): string {
  if (footprint === null) return 'memory need unknown: the manifest does not say';
  const budget = memoryBudget(report);
  if (budget) return `fits: ${describeFootprint(footprint)} within ${budget.label}`;
  return `needs ${describeFootprint(footprint)}`;
}

function storageReason(report: ProbeReport, sizeBytes: number | undefined): string | null {
  const { quotaBytes, usageBytes } = report.storage;
  if (!sizeBytes || quotaBytes === null) return null;
  const free = quotaBytes - (usageBytes ?? 0);
  if (sizeBytes <= free) return null;
  return `storage: the download needs ${formatBytes(sizeBytes)}, ${formatBytes(free)} free on ${deviceNoun(report)}`;
}

/** The planner's view of a manifest: its variants, files and total size. */
export function plannerModelFromManifest(manifest: ModelManifest): PlannerModel {
  return {
    id: manifest.id,
    framework: manifest.framework,
    task: manifest.task,
    variants: manifest.variants,
    files: manifest.files.map(({ path, size }) => ({ path, size })),
    sizeBytes: manifestSize(manifest),
  };
}
