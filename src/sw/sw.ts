// The service worker: precaches the built app shell and runtime files so the
// app opens offline, and adds the headers that make the page cross-origin
// isolated (needed for SharedArrayBuffer, i.e. multithreaded WASM) on any host.

/// <reference lib="webworker" />
export {};

declare const self: ServiceWorkerGlobalScope;
/** Injected at build time: every file of the built app, relative to the SW. */
declare const __PRECACHE__: string[];
declare const __BUILD_ID__: string;

const APP_CACHE = `app-${__BUILD_ID__}`;
const RUNTIME_CACHE = 'runtime-config';
/** Fetched fresh when online, from cache when not: where the model host is. */
const NETWORK_FIRST = new Set(['config.json']);

const isolationHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP_CACHE);
      // `reload` bypasses the HTTP cache so a new version never precaches stale files.
      await cache.addAll(__PRECACHE__.map((path) => new Request(path, { cache: 'reload' })));
      // Every open page of the app counts: WebKit's default matchAll() leaves out
      // pages controlled by the previous version, which made updates skip the
      // prompt there (tests/webkit/update.test.ts).
      const clients = await self.clients.matchAll({ includeUncontrolled: true });
      // The very first install has no page to ask: take over at once.
      if (clients.length === 0 || !(await hasOlderVersion())) await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('app-') && key !== APP_CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(respond(request, url));
});

async function respond(request: Request, url: URL): Promise<Response> {
  const scope = new URL(self.registration.scope);
  const path = url.pathname.startsWith(scope.pathname)
    ? url.pathname.slice(scope.pathname.length)
    : url.pathname;
  if (NETWORK_FIRST.has(path)) return withIsolation(await networkFirst(request));
  const cache = await caches.open(APP_CACHE);
  const key = request.mode === 'navigate' ? new URL('index.html', scope).href : request;
  const cached = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
  return withIsolation(cached ?? (await fetch(request)));
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(RUNTIME_CACHE);
  try {
    const response = await fetch(request, { cache: 'no-store' });
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

function withIsolation(response: Response): Response {
  // Opaque and error responses cannot be rebuilt; pass them through.
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(isolationHeaders)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

async function hasOlderVersion(): Promise<boolean> {
  return (await caches.keys()).some((key) => key.startsWith('app-') && key !== APP_CACHE);
}
