// "Clear all data": deletes every IndexedDB database of this site (installed
// models, downloads, journals, chunks, the catalog copy, conversations) and
// every file in its origin-private file system. The app itself (service worker
// caches) stays, so the app still opens offline afterwards.

import { closeAppDb } from './db';

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Another tab still holds it: the deletion completes once that tab lets go.
    request.onblocked = () => resolve();
  });
}

export async function clearSiteData(): Promise<void> {
  await closeAppDb();
  const databases = (await indexedDB.databases?.().catch(() => [])) ?? [];
  for (const { name } of databases) if (name) await deleteDatabase(name);
  const root = await navigator.storage?.getDirectory?.().catch(() => null);
  if (root) {
    const names: string[] = [];
    for await (const name of (
      root as FileSystemDirectoryHandle & {
        keys(): AsyncIterable<string>;
      }
    ).keys())
      names.push(name);
    for (const name of names) await root.removeEntry(name, { recursive: true }).catch(() => {});
  }
}
