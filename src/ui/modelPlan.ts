// How the app decides how to run a model here: the capability probe runs once
// per page (lazily, on first need) and the planner turns it plus a model's
// variants into the load request, or a typed `unsupported-device` with reasons.

import { fetchManifestOf } from '../catalog/catalogService';
import { AppError } from '../core/errors';
import type { Backend, ModelManifest } from '../core/manifest';
import {
  type ModelPlan,
  type ModelPlanResult,
  planModel,
  plannerModelFromManifest,
} from '../core/planner';
import type { ProbeReport } from '../core/probeReport';
import type { InstallPreparation } from '../download/types';
import type { LoadRequest, TextDtype } from '../inference/types';
import type { ModelRow } from './catalogState';
import { installed } from './installedModels';

let report: Promise<ProbeReport> | null = null;

/** The probe report of this page; the probe runs on the first call only. */
export function deviceReport(): Promise<ProbeReport> {
  // The probe is loaded on demand so it stays out of the app's first load.
  report ??= import('../probe/runProbe').then(({ runProbe }) => runProbe());
  return report;
}

export async function planFor(manifest: ModelManifest): Promise<ModelPlanResult> {
  return planModel(await deviceReport(), plannerModelFromManifest(manifest));
}

const TEXT_DTYPES: readonly string[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/** The best way to load a text model on this device. */
export async function textLoadRequest(manifest: ModelManifest): Promise<LoadRequest> {
  return textLoadRequestFrom(manifest, await planFor(manifest));
}

/** The load request for the planner's best text plan: its backend, dtype and threads. */
export function textLoadRequestFrom(manifest: ModelManifest, result: ModelPlanResult): LoadRequest {
  const plan = runnablePlan(manifest, result, (p) => TEXT_DTYPES.includes(p.dtype));
  return {
    id: manifest.id,
    version: manifest.version,
    device: plan.backend,
    dtype: plan.dtype as TextDtype,
    threads: plan.threads,
  };
}

/**
 * The best plan that runs in one of our workers (not the browser's built-in
 * model) and passes `accept`, or `unsupported-device` with every refusal's reasons.
 */
export function runnablePlan(
  manifest: ModelManifest,
  { plans, refused }: ModelPlanResult,
  accept: (plan: ModelPlan) => boolean = () => true,
): ModelPlan & { backend: Backend } {
  const plan = plans.find((p) => p.backend !== 'builtin' && accept(p));
  if (!plan || plan.backend === 'builtin') {
    throw new AppError('unsupported-device', {
      model: manifest.id,
      reasons: refused.flatMap((r) => r.reasons),
    });
  }
  return { ...plan, backend: plan.backend };
}

/**
 * How this device will run a text model (backend and dtype), for the download
 * to prepare for (a 4-bit model for wasm gets its int8 graph at install); null
 * when it is not a text model or will not run here: the download goes on as is.
 */
export function plannedRunFrom(
  manifest: ModelManifest,
  result: ModelPlanResult,
): { device: string; dtype: string } | null {
  if (manifest.task !== 'text-generation') return null;
  try {
    const request = textLoadRequestFrom(manifest, result);
    return { device: request.device, dtype: request.dtype };
  } catch (error) {
    if (AppError.is(error, 'unsupported-device')) return null;
    throw error;
  }
}

/**
 * What an install of this (verified) manifest should prepare for: how the planner
 * will run it here. A plan that cannot be made prepares nothing, said in the
 * console: the model installs as downloaded and its load rewrites as before.
 */
export async function installPreparationFor(manifest: ModelManifest): Promise<InstallPreparation> {
  try {
    const plannedRun = plannedRunFrom(manifest, await planFor(manifest));
    return plannedRun ? { plannedRun } : {};
  } catch (error) {
    console.warn(`no plan for ${manifest.id}: nothing prepared at install`, error);
    return {};
  }
}

/** A catalog row's manifest: the installed copy when there is one (works offline), else fetched. */
export async function manifestForRow(row: ModelRow): Promise<ModelManifest> {
  const local = installed.value.find((m) => m.id === row.id && m.version === row.version);
  if (local) return local.manifest;
  return fetchManifestOf(row.manifestUrl);
}

/** One line for a model card: how it will run here, or why it cannot. */
export async function verdictFor(row: ModelRow): Promise<{ runs: boolean; text: string }> {
  const { plans, refused } = await planFor(await manifestForRow(row));
  const best = plans[0];
  if (best) {
    const how =
      best.backend === 'builtin' ? 'the browser’s built-in model' : best.backend.toUpperCase();
    const threads = best.threads > 1 ? ` · ${best.threads} threads` : '';
    return { runs: true, text: `Runs on this device: ${how} · ${best.dtype}${threads}` };
  }
  const reasons = [...new Set(refused.flatMap((r) => r.reasons))];
  return { runs: false, text: `Can’t run on this device: ${reasons.join('; ')}` };
}
