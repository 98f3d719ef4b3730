// The planner's view of a Hub repo before anything is downloaded: each dtype
// the listing offers becomes a variant per backend the app runs, with the
// memory need the Hub listing's real file sizes give (src/hub/inspectHubRepo.ts).

import { BACKENDS, DTYPES, type Dtype } from './manifest';
import type { PlannerModel } from './planner';

/** The parts of a Hub report the planner needs (shape of `HubRepoReport`). */
export interface HubPlanInput {
  repo: string;
  task: string | null;
  variants: ReadonlyArray<{
    dtype: string;
    files: readonly string[];
    bytes: number;
    memoryBytes: number;
  }>;
}

/** The dtypes this app runs, of those the Hub names (`quantized` is transformers.js's q8). */
export function appDtype(hubDtype: string): Dtype | null {
  if (hubDtype === 'quantized') return 'q8';
  return (DTYPES as readonly string[]).includes(hubDtype) ? (hubDtype as Dtype) : null;
}

/**
 * One planner variant per runnable dtype and backend; the planner then refuses
 * what this device lacks (WebGPU, shader-f16, memory) and ranks the rest.
 * Dtypes the app cannot run (e.g. `bnb4`) are left out: they cannot be chosen.
 */
export function hubPlannerModel(report: HubPlanInput): PlannerModel {
  const variants: PlannerModel['variants'] = [];
  for (const variant of report.variants) {
    const dtype = appDtype(variant.dtype);
    if (!dtype) continue;
    for (const backend of BACKENDS) {
      variants.push({
        backend,
        dtype,
        files: [...variant.files],
        memoryBytes: variant.memoryBytes,
        requiredFeatures: [],
      });
    }
  }
  return {
    id: report.repo,
    framework: 'transformers',
    ...(report.task ? { task: report.task } : {}),
    variants,
  };
}
