// The catalog as the Models screen shows it: each model with its manifest's
// absolute URL, whether it came from the offline copy, and why it failed.
// A failed load tries again by itself with backoff (and at once on Retry).

import { signal } from '@preact/signals';
import { isHubEntry, type ManifestCatalogEntry } from '../core/catalog';
import { AppError } from '../core/errors';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../core/retrySchedule';
import { loadCatalog } from './catalogSource';
import { hubCatalog, hubEndpoint } from './hubCatalog';

export interface ModelRow extends ManifestCatalogEntry {
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
    const { catalog: data, baseUrl, offline, hubEndpoint: endpoint } = await loadCatalog();
    hubCatalog.value = data.models.filter(isHubEntry);
    hubEndpoint.value = endpoint;
    const manifestEntries = data.models.filter((m) => !isHubEntry(m)) as ManifestCatalogEntry[];
    catalog.value = manifestEntries.map((m) => ({
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

/** Download sources that are not catalog rows (Hub models, src/ui/hubState.ts): URL → row id. */
const otherSources = new Map<string, string>();

export function registerDownloadSource(url: string, id: string): void {
  otherSources.set(url, id);
}

/** The model row whose download source is `url` (a Hub model's, or a catalog manifest's), if any. */
export function modelIdOf(url: string): string | null {
  return otherSources.get(url) ?? catalog.value.find((m) => m.manifestUrl === url)?.id ?? null;
}
