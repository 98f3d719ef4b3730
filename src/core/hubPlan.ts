// The planner's view of a Hub repo before anything is downloaded: each dtype
// the listing offers (src/core/hubListing.ts) on each backend a Hub install
// gets, with the memory need the listing's real file sizes give.

import { HUB_BACKENDS, type HubVariant } from './hubListing';
import type { PlannerModel } from './planner';

/** The parts of a Hub report (`HubRepoReport`) the planner needs. */
export interface HubPlanInput {
  repo: string;
  task: string | null;
  variants: readonly HubVariant[];
}

/**
 * One planner variant per dtype and backend, as the installed manifest will
 * have them (`hubManifest`); the planner then refuses what this device lacks
 * (WebGPU, shader-f16, memory) and ranks the rest.
 */
export function hubPlannerModel(report: HubPlanInput): PlannerModel {
  return {
    id: report.repo,
    framework: 'transformers',
    ...(report.task ? { task: report.task } : {}),
    variants: report.variants.flatMap((variant) =>
      HUB_BACKENDS.map((backend) => ({
        backend,
        dtype: variant.dtype,
        files: [...variant.files],
        memoryBytes: variant.memoryBytes,
        requiredFeatures: [],
      })),
    ),
  };
}
