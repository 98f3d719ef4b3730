// What the page and the service worker say to each other, and the names of the
// caches both read (the page's tests look into them too).

import type { RuntimeName } from './swAssets';

/** Runtime files, plus one marker entry per runtime an installed model needs. */
export const RUNTIME_CACHE = 'runtimes';

export type SwRequest =
  | { type: 'SKIP_WAITING' }
  | { type: 'CACHE_RUNTIMES'; runtimes: RuntimeName[] };

export type SwResponse = { ok: true } | { ok: false; message: string };

/** The marker saying an installed model needs `runtime` (an empty name gives the prefix). */
export function wantedKey(scope: URL, runtime: string): string {
  return new URL(`__runtime__/${runtime}`, scope).href;
}
