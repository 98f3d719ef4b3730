// The catalog store in the app's IndexedDB: a database of the previous
// version (2) upgrades to 3 with every record kept and the catalog store
// added, and the cache keeps what it is given.

import { expect, test } from '../support/fixtures';

interface Harness {
  DB_NAME: string;
  dbShape(): Promise<{ version: number; stores: string[] }>;
  openAppDb(): Promise<{ get(store: string, key: unknown): Promise<unknown> }>;
  readCachedCatalog(): Promise<unknown>;
  writeCachedCatalog(catalog: unknown, url: string): Promise<void>;
}

test('a version 2 database upgrades to the current version: every record kept, the catalog store added', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}catalog.html`);
  await page.waitForFunction(() => 'harness' in window);
  // Version 2 exactly as db.ts created it, with one record in each store.
  await page.evaluate(async () => {
    const { DB_NAME } = (window as unknown as { harness: Harness }).harness;
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('installs', { keyPath: 'key' }).createIndex('byId', 'id');
      db.createObjectStore('journal', { keyPath: 'key' }).createIndex('byModel', 'modelKey');
      db.createObjectStore('downloads', { keyPath: 'manifestUrl' });
      db.createObjectStore('chunks', { keyPath: ['file', 'offset'] });
      const tx = request.transaction as IDBTransaction;
      tx.objectStore('installs').put({ key: 'tiny@1.0.0', id: 'tiny', version: '1.0.0' });
      tx.objectStore('journal').put({ key: 'tiny@1.0.0/a', modelKey: 'tiny@1.0.0' });
      tx.objectStore('downloads').put({ manifestUrl: 'https://m/x/manifest.json' });
      tx.objectStore('chunks').put({ file: 'tiny@1.0.0/a', offset: 0, bytes: new ArrayBuffer(3) });
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
  });

  const after = await page.evaluate(async () => {
    const h = (window as unknown as { harness: Harness }).harness;
    const shape = await h.dbShape();
    const db = await h.openAppDb();
    const kept = [
      await db.get('installs', 'tiny@1.0.0'),
      await db.get('journal', 'tiny@1.0.0/a'),
      await db.get('downloads', 'https://m/x/manifest.json'),
      await db.get('chunks', ['tiny@1.0.0/a', 0]),
    ].map((record) => record !== undefined);
    const empty = await h.readCachedCatalog();
    await h.writeCachedCatalog({ schema: 1, models: [] }, 'https://m/catalog.json');
    const cached = (await h.readCachedCatalog()) as { catalog: unknown; url: string };
    return { shape, kept, empty, cached: { catalog: cached.catalog, url: cached.url } };
  });
  expect(after.shape).toEqual({
    // Later versions add stores of their own (conversations-store.spec.ts).
    version: 4,
    stores: ['catalog', 'chunks', 'conversations', 'downloads', 'installs', 'journal'],
  });
  expect(after.kept).toEqual([true, true, true, true]);
  expect(after.empty).toBeUndefined();
  expect(after.cached).toEqual({
    catalog: { schema: 1, models: [] },
    url: 'https://m/catalog.json',
  });
});
