// Whether the browser keeps this site's storage under pressure (persistent
// storage), and asking for it when a download makes it matter.

import { signal } from '@preact/signals';

/** Whether the browser granted persistent storage (null: not known yet). */
export const persisted = signal<boolean | null>(null);

export async function readPersisted(): Promise<void> {
  persisted.value = (await navigator.storage?.persisted?.().catch(() => null)) ?? null;
}

/** Asks the browser not to evict this site's data; the answer lands in `persisted`. */
export async function requestPersistence(): Promise<void> {
  persisted.value = (await navigator.storage?.persist?.().catch(() => false)) ?? false;
}
