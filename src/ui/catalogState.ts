// The catalog as the Models screen shows it: each model with its manifest's
// absolute URL, whether it came from the offline copy, and why it failed.
// A failed load tries again by itself with backoff (and at once on Retry).

import { signal } from '@preact/signals';
import type { CatalogEntry } from '../core/catalog';
import { AppError } from '../core/errors';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../core/retrySchedule';
import { loadCatalog } from './catalogSource';

export interface ModelRow extends CatalogEntry {
  manifestUrl: string;
}

export const catalog = signal<ModelRow[]>([]);
export const catalogError = signal<AppError | null>(null);
export const catalogOffline = signal(false);
/** When the next automatic try starts (ms since the epoch), or null when none is planned. */
export const catalogRetryAt = signal<number | null>(null);

let retries = 0;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

export async function refreshCatalog(): Promise<void> {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  catalogRetryAt.value = null;
  try {
    const { catalog: data, baseUrl, offline } = await loadCatalog();
    catalog.value = data.models.map((m) => ({
      ...m,
      manifestUrl: new URL(m.manifest, baseUrl).href,
    }));
    catalogOffline.value = offline;
    catalogError.value = null;
    retries = 0;
  } catch (error) {
    catalogError.value = AppError.from(error, 'internal');
    // A malformed catalog stays malformed until the host changes it: retry, but slowly.
    retries += 1;
    const delay = retryDelay(retries, {
      ...DEFAULT_RETRY_POLICY,
      baseDelayMs: 2000,
      maxDelayMs: 120_000,
    });
    catalogRetryAt.value = Date.now() + delay;
    retryTimer = setTimeout(() => void refreshCatalog(), delay);
  }
}

/** The catalog model whose manifest is at `url`, if any. */
export function modelIdOf(url: string): string | null {
  return catalog.value.find((m) => m.manifestUrl === url)?.id ?? null;
}
