// Whether the browser believes it is online; the header shows an indicator
// and actions that need the network are not offered while offline.

import { signal } from '@preact/signals';

export const online = signal(true);

/** Follows the browser's online/offline events (the composition root calls it once). */
export function watchOnline(): void {
  online.value = navigator.onLine;
  addEventListener('online', () => (online.value = true));
  addEventListener('offline', () => (online.value = false));
}
