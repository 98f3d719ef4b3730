// Registers the service worker and offers a reload when a new version of the
// app has been installed in the background.

import { signal } from '@preact/signals';

export const updateReady = signal(false);
let waiting: ServiceWorker | null = null;

export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register('./sw.js');
  const watch = (worker: ServiceWorker | null) => {
    worker?.addEventListener('statechange', () => {
      // Installed while another version controls the page: an update is waiting.
      if (worker.state === 'installed' && navigator.serviceWorker.controller) {
        waiting = worker;
        updateReady.value = true;
      }
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) {
    waiting = registration.waiting;
    updateReady.value = true;
  }
  registration.addEventListener('updatefound', () => watch(registration.installing));
}

export function applyUpdate(): void {
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
    once: true,
  });
  waiting?.postMessage('skip-waiting');
}
