// The conversations store: a version 3 database (as db.ts made it) upgrades to
// 4 with every record kept and the conversations store added; conversations
// round-trip, list newest first, search and delete.

import { expect, test } from '../support/fixtures';

interface Harness {
  DB_NAME: string;
  dbShape(): Promise<{ version: number; stores: string[] }>;
  conversations: {
    list(): Promise<Array<{ id: string; title: string }>>;
    get(id: string): Promise<unknown>;
    save(c: unknown): Promise<void>;
    remove(id: string): Promise<void>;
    search(q: string): Promise<Array<{ id: string }>>;
  };
}

test('a version 3 database upgrades to 4 with its records kept; conversations round-trip', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}chat.html`);
  await page.waitForFunction(() => 'harness' in window);
  await page.evaluate(async () => {
    const { DB_NAME } = (window as unknown as { harness: Harness }).harness;
    const request = indexedDB.open(DB_NAME, 3);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('installs', { keyPath: 'key' }).createIndex('byId', 'id');
      db.createObjectStore('journal', { keyPath: 'key' }).createIndex('byModel', 'modelKey');
      db.createObjectStore('downloads', { keyPath: 'manifestUrl' });
      db.createObjectStore('chunks', { keyPath: ['file', 'offset'] });
      db.createObjectStore('catalog', { keyPath: 'key' });
      const tx = request.transaction as IDBTransaction;
      tx.objectStore('installs').put({ key: 'tiny@1.0.0', id: 'tiny', version: '1.0.0' });
      tx.objectStore('catalog').put({ key: 'last', catalog: {}, url: 'u', savedAt: 1 });
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
  });

  const result = await page.evaluate(async () => {
    const h = (window as unknown as { harness: Harness }).harness;
    const shape = await h.dbShape();
    const base = { modelKey: null, systemPrompt: '', settings: {}, createdAt: 1 };
    await h.conversations.save({
      ...base,
      id: 'a',
      title: 'Dogs',
      updatedAt: 10,
      messages: [{ id: 'm1', role: 'user', content: 'Tell me about puppies', createdAt: 1 }],
    });
    await h.conversations.save({ ...base, id: 'b', title: 'Cats', updatedAt: 20, messages: [] });
    const order = (await h.conversations.list()).map((c) => c.id);
    const found = (await h.conversations.search('PUPPIES')).map((c) => c.id);
    const stored = await h.conversations.get('a');
    await h.conversations.remove('a');
    const after = (await h.conversations.list()).map((c) => c.id);
    const db = await indexedDB.databases();
    return { shape, order, found, stored, after, dbs: db.map((d) => d.version) };
  });
  expect(result.shape).toEqual({
    version: 4,
    stores: ['catalog', 'chunks', 'conversations', 'downloads', 'installs', 'journal'],
  });
  expect(result.order).toEqual(['b', 'a']);
  expect(result.found).toEqual(['a']);
  expect(result.stored).toMatchObject({
    id: 'a',
    title: 'Dogs',
    messages: [{ content: 'Tell me about puppies' }],
  });
  expect(result.after).toEqual(['b']);

  // The version 3 records are still there.
  const kept = await page.evaluate(async () => {
    const { DB_NAME } = (window as unknown as { harness: Harness }).harness;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(DB_NAME);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const get = (store: string, key: string) =>
      new Promise<unknown>((resolve) => {
        const r = db.transaction(store).objectStore(store).get(key);
        r.onsuccess = () => resolve(r.result);
      });
    const out = [await get('installs', 'tiny@1.0.0'), await get('catalog', 'last')];
    db.close();
    return out.map((r) => r !== undefined);
  });
  expect(kept).toEqual([true, true]);
});
