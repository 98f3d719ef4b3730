// Picks the storage backend by trying each for real, best first: a browser can
// list an API and still refuse it (OPFS in private windows, WebKit automation).

import type { StoreKind } from './db';
import { idbChunkStore } from './idbChunkStore';
import type { ModelStore } from './modelStore';
import { opfsSyncStore } from './opfsSyncStore';
import { opfsWritableStore } from './opfsWritableStore';

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
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await navigator.storage.getDirectory();
  } catch {
    return 'idb';
  }
  const name = `.probe-${Math.random().toString(36).slice(2)}`;
  try {
    const handle = await dir.getFileHandle(name, { create: true });
    if (typeof handle.createSyncAccessHandle === 'function') {
      try {
        (await handle.createSyncAccessHandle()).close();
        return 'opfs-sync';
      } catch {
        // fall through to createWritable
      }
    }
    if (typeof handle.createWritable === 'function') {
      const stream = await handle.createWritable();
      await stream.close();
      return 'opfs-writable';
    }
    return 'idb';
  } catch {
    return 'idb';
  } finally {
    await dir.removeEntry(name).catch(() => {});
  }
}
