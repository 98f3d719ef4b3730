// Adding a model from the Hugging Face Hub: the Add screen's state (what was
// typed or deep-linked, what the Hub listing says, this device's verdict per
// variant), the Hub listing of catalog cards, and the Download action, which
// hands the Hub source string to the existing downloads path.

import { signal } from '@preact/signals';
import { AppError } from '../core/errors';
import { hubPlannerModel } from '../core/hubPlan';
import { type HubRepoRef, parseHubDeepLink } from '../core/hubRepoRef';
import type { Dtype } from '../core/manifest';
import { type ModelPlan, planModel } from '../core/planner';
import type {
  HubRepoReport,
  hubSourceUrl,
  inspectHubRepo,
  parseHubSourceUrl,
} from '../hub/inspectHubRepo';
import type { InstalledModel } from '../storage/db';
import { hasHubToken, readHubToken } from '../storage/hubTokenStore';
import { type ModelRow, registerDownloadSource } from './catalogState';
import { download } from './downloads';
import { hubEndpoint } from './hubCatalog';
import { installed } from './installedModels';
import { deviceReport } from './modelPlan';
import { screen } from './screen';

export type HubReportView = HubRepoReport;

/** The Hub client (src/hub/), handed over by the composition root. */
export interface HubApi {
  inspectHubRepo: typeof inspectHubRepo;
  hubSourceUrl: typeof hubSourceUrl;
  parseHubSourceUrl: typeof parseHubSourceUrl;
}

let api: HubApi | null = null;

export function connectHub(hubApi: HubApi): void {
  api = hubApi;
}

/** One variant as the Add screen lists it. */
export interface VariantChoice {
  dtype: Dtype;
  bytes: number;
  memoryBytes: number;
  /** How it would run here, or null when it cannot. */
  plan: ModelPlan | null;
  /** Plain words: how it runs here, or why not. */
  verdict: string;
}

export type HubAddState =
  | { step: 'closed' }
  | { step: 'editing'; problem: AppError | null }
  | { step: 'inspecting'; ref: HubRepoRef }
  | { step: 'found'; ref: HubRepoRef; report: HubReportView; choices: VariantChoice[] }
  | { step: 'failed'; ref: HubRepoRef; error: AppError };

export const hubAdd = signal<HubAddState>({ step: 'closed' });
/** The Add panel's fields; a deep link or a catalog card fills them. */
export const hubForm = signal({ repo: '', revision: '' });
/** Whether an access token is stored (the token itself never reaches the UI). */
export const hubTokenSet = signal(false);
/** Per Hub repo, the live listing shown on its catalog card (or why it is missing). */
export const hubListings = signal<Record<string, HubReportView | AppError>>({});

let inspection: AbortController | null = null;
/** `details.reason` of the error when this copy of the app has no Hub configured. */
export const NO_HUB = 'no Hub endpoint configured';

/** Whether the Hub can be used here: the config names one and the client is connected. */
export function hubAvailable(): boolean {
  return api !== null && hubEndpoint.value !== null;
}

async function inspect(ref: HubRepoRef, signal?: AbortSignal): Promise<HubReportView> {
  const endpoint = hubEndpoint.value;
  if (!api || !endpoint) throw new AppError('not-found', { reason: NO_HUB });
  const token = (await readHubToken().catch(() => null)) ?? undefined;
  return api.inspectHubRepo({ endpoint, ...ref, ...(token ? { token } : {}), signal });
}

/** Opens the Add screen on `ref` and reads the repo's listing; nothing is downloaded. */
export async function openHubRepo(ref: HubRepoRef): Promise<void> {
  inspection?.abort();
  const controller = new AbortController();
  inspection = controller;
  hubAdd.value = { step: 'inspecting', ref };
  hubForm.value = { ...ref };
  hubTokenSet.value = await hasHubToken().catch(() => false);
  try {
    const report = await inspect(ref, controller.signal);
    const choices = await choicesFor(report);
    if (inspection === controller) hubAdd.value = { step: 'found', ref, report, choices };
  } catch (error) {
    if (inspection !== controller) return;
    hubAdd.value = { step: 'failed', ref, error: AppError.from(error, 'network') };
  }
}

/** The planner's verdict on each variant of the listing, best first. */
export async function choicesFor(report: HubReportView): Promise<VariantChoice[]> {
  const { plans, refused } = planModel(await deviceReport(), hubPlannerModel(report));
  const choices = report.variants.map((variant): VariantChoice => {
    const dtype = variant.dtype;
    const base = { dtype, bytes: variant.bytes, memoryBytes: variant.memoryBytes };
    const plan = plans.find((p) => p.dtype === dtype) ?? null;
    if (plan) {
      const threads = plan.threads > 1 ? ` · ${plan.threads} threads` : '';
      return { ...base, plan, verdict: `Runs here: ${plan.backend.toUpperCase()}${threads}` };
    }
    const reasons = new Set(
      refused.filter((r) => r.variant.dtype === dtype).flatMap((r) => r.reasons),
    );
    return { ...base, plan: null, verdict: `Can’t run here: ${[...reasons].join('; ')}` };
  });
  const rank = (c: VariantChoice) => {
    const i = c.plan ? plans.indexOf(c.plan) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return choices.sort((a, b) => rank(a) - rank(b));
}

/** The row id a Hub download is tracked under in the downloads state. */
export function hubRowId(repo: string): string {
  return `hub:${repo}`;
}

/** Downloads `dtype` of the inspected repo, pinned to the commit the listing resolved. */
export async function downloadHubVariant(report: HubReportView, dtype: Dtype): Promise<void> {
  const endpoint = hubEndpoint.value;
  const variant = report.variants.find((v) => v.dtype === dtype);
  if (!api || !endpoint || !variant) return;
  const { repo, commit, revision } = report;
  const url = api.hubSourceUrl({ endpoint, repo, commit, dtype, revision });
  const row: ModelRow = {
    id: hubRowId(report.repo),
    name: report.repo,
    version: report.commit,
    framework: 'transformers',
    task: report.task ?? '',
    description: '',
    size: variant.bytes,
    manifest: '',
    manifestUrl: url,
  };
  registerDownloadSource(url, row.id);
  await download(row);
}

/**
 * Whether a Hub repo is installed here and whether it is the listing's commit:
 * an install of this repo at another commit is an update (a branch that
 * moved), never a silent change of bytes.
 */
export function hubInstallState(report: HubReportView): 'none' | 'current' | 'update' {
  const hub = api;
  if (!hub) return 'none';
  const mine = installed.value
    .filter((m) => !m.damage)
    .map((m) => hub.parseHubSourceUrl(m.manifestUrl))
    .filter((source) => source?.repo === report.repo);
  if (mine.length === 0) return 'none';
  return mine.some((source) => source?.commit === report.commit) ? 'current' : 'update';
}

/** The install of this listing's repo at its commit, if there is one (undamaged). */
export function installedHubModel(report: HubReportView): InstalledModel | null {
  const hub = api;
  if (!hub) return null;
  return (
    installed.value.find((m) => {
      if (m.damage) return false;
      const source = hub.parseHubSourceUrl(m.manifestUrl);
      return source?.repo === report.repo && source.commit === report.commit;
    }) ?? null
  );
}

/** Reads a catalog card's live listing once per visit (sizes come from the Hub, not the catalog). */
export async function loadHubListing(ref: HubRepoRef): Promise<void> {
  if (hubListings.value[ref.repo] || !hubAvailable()) return;
  try {
    const report = await inspect(ref);
    hubListings.value = { ...hubListings.value, [ref.repo]: report };
  } catch (error) {
    hubListings.value = { ...hubListings.value, [ref.repo]: AppError.from(error, 'network') };
  }
}

/** Opens the Add screen when the page's hash is the deep link; a malformed one says why. */
export function followDeepLink(hash: string): void {
  let ref: HubRepoRef | null;
  try {
    ref = parseHubDeepLink(hash);
  } catch (error) {
    hubAdd.value = { step: 'editing', problem: AppError.from(error, 'invalid-input') };
    return;
  }
  if (ref) void openHubRepo(ref);
}

/** Follows the deep link the page was opened with, and any the user opens later. */
export function watchDeepLinks(): void {
  const follow = () => {
    if (!location.hash.startsWith('#/models/add')) return;
    screen.value = 'models';
    followDeepLink(location.hash);
  };
  addEventListener('hashchange', follow);
  follow();
}

export function closeHubAdd(): void {
  inspection?.abort();
  inspection = null;
  hubAdd.value = { step: 'closed' };
  if (location.hash.startsWith('#/models/add')) history.replaceState(null, '', location.pathname);
}
