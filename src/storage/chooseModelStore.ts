// Picks the storage backend by trying each for real, best first: a browser can
// list an API and still refuse it (OPFS in private windows, WebKit automation).

import type { StoreKind } from './db';
import { idbChunkStore } from './idbChunkStore';
import type { ModelStore } from './modelStore';
import { opfsSyncStore } from './opfsSyncStore';
import { opfsWritableStore } from './opfsWritableStore';
import { probeOpfs } from './probeOpfs';

const STORES: Record<StoreKind, ModelStore> = {
  'opfs-sync': opfsSyncStore,
  'opfs-writable': opfsWritableStore,
  idb: idbChunkStore,
};

let probed: Promise<StoreKind> | null = null;

export function modelStore(kind: StoreKind): ModelStore {
  return STORES[kind];
}

/** The backend this context would store a new download in (probed once). */
export function probeModelStore(): Promise<StoreKind> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<StoreKind> {
  const { syncAccessHandle, writable } = await probeOpfs();
  return syncAccessHandle ? 'opfs-sync' : writable ? 'opfs-writable' : 'idb';
}
