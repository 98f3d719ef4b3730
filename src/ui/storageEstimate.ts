// How much this site stores and may store (navigator.storage.estimate), for
// the storage bar: models, the app and its caches, and what is left.

import { signal } from '@preact/signals';

export interface StorageEstimate {
  usageBytes: number;
  quotaBytes: number;
}

/** null: not known yet, or the browser does not say. */
export const storageEstimate = signal<StorageEstimate | null>(null);

export async function refreshStorageEstimate(): Promise<void> {
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  storageEstimate.value =
    estimate && typeof estimate.usage === 'number' && typeof estimate.quota === 'number'
      ? { usageBytes: estimate.usage, quotaBytes: estimate.quota }
      : null;
}
