// The service worker, on Workbox: precaches the app shell (revisioned, so a new
// deploy fetches only what changed), caches each runtime's files when a model
// that needs it is installed, and re-adds the headers that make the page
// cross-origin isolated (SharedArrayBuffer, multithreaded WASM) on any host.

/// <reference lib="webworker" />

import type { WorkboxPlugin } from 'workbox-core';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  type PrecacheEntry,
  precacheAndRoute,
} from 'workbox-precaching';
import { RangeRequestsPlugin } from 'workbox-range-requests';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, NetworkOnly } from 'workbox-strategies';
import type { RuntimeName } from '../core/swAssets';
import { RUNTIME_CACHE, type SwRequest, type SwResponse, wantedKey } from '../core/swMessages';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };
/** Injected at build time: each runtime's files, relative to the SW. */
declare const __RUNTIME_FILES__: Record<RuntimeName, string[]>;

const scope = () => new URL(self.registration.scope);
const urlOf = (path: string) => new URL(path, scope()).href;
const runtimeUrls = new Map(
  Object.entries(__RUNTIME_FILES__).map(([name, files]) => [name, files.map(urlOf)]),
);
const allRuntimeUrls = new Set([...runtimeUrls.values()].flat());

/** COOP/COEP/CORP on every response the SW gives the page. */
const isolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => {
    // Opaque and error responses cannot be rebuilt; pass them through.
    if (response.type === 'opaque' || response.status === 0) return response;
    const headers = new Headers(response.headers);
    // fetch() already decoded the body: the host's encoding and length (of the
    // Brotli copy) no longer describe it.
    headers.delete('Content-Encoding');
    headers.delete('Content-Length');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  },
};

addPlugins([isolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

const sameOrigin = (url: URL) => url.origin === self.location.origin;

// Client-side routes get the app shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
// Where the model host is: fresh when online, the last copy when not.
registerRoute(
  ({ url }) => sameOrigin(url) && url.href === urlOf('config.json'),
  new NetworkFirst({
    cacheName: 'config',
    fetchOptions: { cache: 'no-store' },
    plugins: [isolation],
  }),
);
// Runtime files: from the runtime cache, filled when a model is installed (or
// on first use); ranges of cached files are cut from the cached copy.
registerRoute(
  ({ url }) => allRuntimeUrls.has(url.href),
  new CacheFirst({
    cacheName: RUNTIME_CACHE,
    plugins: [new RangeRequestsPlugin(), isolation],
  }),
);
// Anything else of ours (source maps, a path no build has) straight from the network.
registerRoute(({ url }) => sameOrigin(url), new NetworkOnly({ plugins: [isolation] }));

/** Adds each runtime's current files to the runtime cache (what is there stays). */
async function cacheRuntimes(names: readonly string[]): Promise<void> {
  const cache = await caches.open(RUNTIME_CACHE);
  for (const name of names) {
    const urls = runtimeUrls.get(name);
    if (!urls) throw new Error(`unknown runtime ${name}`);
    for (const url of urls) {
      if (await cache.match(url)) continue;
      // `reload`: never take a file from the HTTP cache that may be stale.
      const response = await fetch(new Request(url, { cache: 'reload' }));
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      await cache.put(url, response);
    }
    await cache.put(wantedKey(scope(), name), new Response(name));
  }
}

/** Runtimes an installed model asked for (by any earlier version of the app). */
async function wantedRuntimes(): Promise<string[]> {
  const cache = await caches.open(RUNTIME_CACHE);
  const marker = wantedKey(scope(), '');
  return (await cache.keys())
    .map((request) => request.url)
    .filter((url) => url.startsWith(marker))
    .map((url) => url.slice(marker.length))
    .filter((name) => runtimeUrls.has(name));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // A new version brings its runtimes with it, so offline stays offline
      // for every installed model after an update.
      await cacheRuntimes(await wantedRuntimes());
      // Every open page of the app counts: WebKit's default matchAll() leaves
      // out pages controlled by the previous version, which made updates skip
      // the prompt there (tests/webkit/update.test.ts).
      const clients = await self.clients.matchAll({ includeUncontrolled: true });
      // The very first install, or no page to ask: take over at once.
      if (!self.registration.active || clients.length === 0) await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Caches of the hand-written SW this one replaced.
      for (const key of await caches.keys()) {
        if (key.startsWith('app-') || key === 'runtime-config') await caches.delete(key);
      }
      // Runtime files of older versions go; the markers stay.
      const cache = await caches.open(RUNTIME_CACHE);
      const marker = wantedKey(scope(), '');
      for (const request of await cache.keys()) {
        if (!request.url.startsWith(marker) && !allRuntimeUrls.has(request.url)) {
          await cache.delete(request);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data as SwRequest | null;
  if (data?.type === 'SKIP_WAITING') {
    void self.skipWaiting();
    return;
  }
  if (data?.type !== 'CACHE_RUNTIMES') return;
  const reply = (message: SwResponse) => event.ports[0]?.postMessage(message);
  event.waitUntil(
    cacheRuntimes(data.runtimes).then(
      () => reply({ ok: true }),
      (error: unknown) => reply({ ok: false, message: String(error) }),
    ),
  );
});
