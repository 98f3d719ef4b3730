// Picks the storage backend by trying each for real (probeOpfs.ts), best
// first: sync access handles, then writable streams, then IndexedDB.

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
  const found = await probeOpfs();
  if (found.syncAccessHandle) return 'opfs-sync';
  return found.writable ? 'opfs-writable' : 'idb';
}
