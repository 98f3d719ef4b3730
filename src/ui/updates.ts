// Registers the service worker (through workbox-window), offers a reload when a
// new version of the app has been installed in the background, and asks the
// worker to cache the runtimes that installed models need.

import { signal } from '@preact/signals';
import type { Workbox } from 'workbox-window';
import type { RuntimeName } from '../core/swAssets';
import type { SwRequest, SwResponse } from '../core/swMessages';

export const updateReady = signal(false);
let workbox: Workbox | null = null;
/** Runtimes asked for in this page's life; each is asked for once. */
const asked = new Set<RuntimeName>();
const pending: RuntimeName[] = [];
/** Set once, so a page that stays unisolated after the reload does not loop. */
const RELOADED_FOR_ISOLATION = 'sw-reloaded-for-isolation';

export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
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
  await flushRuntimes();
}

export function applyUpdate(): void {
  if (!workbox) return;
  workbox.addEventListener('controlling', () => location.reload());
  workbox.messageSkipWaiting();
}

/**
 * Asks the service worker to cache these runtimes' files, so every installed
 * model runs offline even if it never ran online. Waits until they are cached.
 */
export async function cacheRuntimes(runtimes: readonly RuntimeName[]): Promise<void> {
  for (const runtime of runtimes) {
    if (asked.has(runtime)) continue;
    asked.add(runtime);
    pending.push(runtime);
  }
  await flushRuntimes();
}

async function flushRuntimes(): Promise<void> {
  if (!workbox || pending.length === 0) return;
  const runtimes = pending.splice(0);
  // The active worker answers: a waiting one would cache files of a version
  // the page does not run yet (it recaches them itself when it installs).
  const { active } = await navigator.serviceWorker.ready;
  if (!active) return;
  const { messageSW } = await import('workbox-window');
  const request: SwRequest = { type: 'CACHE_RUNTIMES', runtimes };
  const reply = (await messageSW(active, request)) as SwResponse;
  if (!reply.ok) {
    // Asked again on the next change of the installed models or the next start.
    for (const runtime of runtimes) asked.delete(runtime);
    throw new Error(`caching runtimes ${runtimes.join(', ')} failed: ${reply.message}`);
  }
}
