// Registers the service worker (through workbox-window), offers a reload when a
// new version of the app has been installed in the background (models in
// memory are released first), and asks the worker to cache the runtimes that
// installed models need, before a new model is recorded as installed.

import { signal } from '@preact/signals';
import type { Workbox } from 'workbox-window';
import { AppError } from '../core/errors';
import type { ModelManifest } from '../core/manifest';
import { type RuntimeName, runtimesFor } from '../core/swAssets';
import type { SwRequest, SwResponse } from '../core/swMessages';
import type { InstallPreparation } from '../download/types';
import { installPreparationFor } from './modelPlan';

export const updateReady = signal(false);
/** The registered worker's handle; null where there is none (dev server, no SW support, failed). */
let registered: Promise<Workbox | null> = Promise.resolve(null);
let workbox: Workbox | null = null;
/** Frees what the page holds (loaded models) before it reloads into a new version. */
let beforeReload: () => Promise<void> = async () => {};
/** Per runtime: its caching, asked once per page life; a failed one is asked again next time. */
const caching = new Map<RuntimeName, Promise<void>>();
/** Set once, so a page that stays unisolated after the reload does not loop. */
const RELOADED_FOR_ISOLATION = 'sw-reloaded-for-isolation';

export interface ServiceWorkerOptions {
  /** Runs before Reload switches to a new version (the composition root releases the models). */
  beforeReload?: () => Promise<void>;
}

export function registerServiceWorker(options: ServiceWorkerOptions = {}): Promise<void> {
  if (options.beforeReload) beforeReload = options.beforeReload;
  if (!('serviceWorker' in navigator)) return Promise.resolve();
  registered = register();
  return registered.then(() => {});
}

async function register(): Promise<Workbox> {
  const { Workbox } = await import('workbox-window');
  const wb = new Workbox('./sw.js');
  // Installed while another version controls the page: an update is waiting.
  wb.addEventListener('waiting', () => {
    updateReady.value = true;
  });
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate) return;
    // First visit on a host that sends no COOP/COEP: the page became isolated
    // only through the worker, which needs one reload to count.
    if (!crossOriginIsolated && !sessionStorage.getItem(RELOADED_FOR_ISOLATION)) {
      sessionStorage.setItem(RELOADED_FOR_ISOLATION, '1');
      location.reload();
    }
  });
  await wb.register();
  workbox = wb;
  return wb;
}

/**
 * Switches to the waiting version: a model loaded in memory is released first
 * (its worker ended cleanly, not torn down by the navigation), then the page
 * reloads once the new worker controls it.
 */
export async function applyUpdate(): Promise<void> {
  const wb = workbox;
  if (!wb) return;
  // A release that fails must not keep the user on the old version: the reload ends it anyway.
  await beforeReload().catch((error) => console.error('releasing models before the update', error));
  wb.addEventListener('controlling', () => location.reload());
  wb.messageSkipWaiting();
}

/**
 * Asks the service worker to cache these runtimes' files, so every installed
 * model runs offline even if it never ran online. Resolves once they are
 * cached; rejects with `runtime-not-cached`. Without a service worker there
 * is no offline use to prepare, and nothing to wait for.
 */
export async function cacheRuntimes(runtimes: readonly RuntimeName[]): Promise<void> {
  await Promise.all(runtimes.map(cacheRuntime));
}

/** What a download runs before its model counts as installed: that model's runtime is cached. */
export function cacheRuntimeFor(manifest: ModelManifest): Promise<void> {
  return cacheRuntimes(runtimesFor(manifest.framework));
}

/**
 * The app's `beforeInstall`: the runtime is cached (a failure leaves the model
 * not installed), then the install learns how the model will run here.
 */
export async function prepareInstall(manifest: ModelManifest): Promise<InstallPreparation> {
  await cacheRuntimeFor(manifest);
  return installPreparationFor(manifest);
}

function cacheRuntime(runtime: RuntimeName): Promise<void> {
  const known = caching.get(runtime);
  if (known) return known;
  const job = askWorker(runtime);
  caching.set(runtime, job);
  job.catch(() => {
    // Asked again on the next install, the next change of the installed models or the next start.
    if (caching.get(runtime) === job) caching.delete(runtime);
  });
  return job;
}

async function askWorker(runtime: RuntimeName): Promise<void> {
  if (!(await registered.catch(() => null))) return;
  // The active worker answers: a waiting one would cache files of a version
  // the page does not run yet (it recaches them itself when it installs).
  const { active } = await navigator.serviceWorker.ready;
  if (!active) return;
  const { messageSW } = await import('workbox-window');
  const request: SwRequest = { type: 'CACHE_RUNTIMES', runtimes: [runtime] };
  const reply = (await messageSW(active, request)) as SwResponse;
  if (!reply.ok) throw new AppError('runtime-not-cached', { runtime, reason: reply.message });
}
