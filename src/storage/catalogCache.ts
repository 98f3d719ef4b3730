// The last catalog seen, in IndexedDB (it outgrows localStorage's few MB), so
// the Models screen still lists models offline. One record, replaced whole.

import { type CachedCatalog, openAppDb } from './db';

const KEY = 'last';

export async function readCachedCatalog(): Promise<CachedCatalog | undefined> {
  const db = await openAppDb();
  return db.get('catalog', KEY);
}

export async function writeCachedCatalog(catalog: unknown, url: string): Promise<void> {
  const db = await openAppDb();
  await db.put('catalog', { key: KEY, catalog, url, savedAt: Date.now() });
}
