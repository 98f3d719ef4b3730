// Test page for the catalog cache: the app's IndexedDB (opened only when a
// test asks, so a test can first create an older version) and the cache API.

import { readCachedCatalog, writeCachedCatalog } from '../../../src/storage/catalogCache';
import { DB_NAME, openAppDb } from '../../../src/storage/db';

async function dbShape() {
  const db = await openAppDb();
  return { version: db.version, stores: [...db.objectStoreNames].sort() };
}

Object.assign(window, {
  harness: { DB_NAME, dbShape, openAppDb, readCachedCatalog, writeCachedCatalog },
});
