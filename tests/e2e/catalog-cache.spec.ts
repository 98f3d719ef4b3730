// The Models screen with a large catalog: a valid 6 MB catalog.json (more than
// localStorage holds) loads, is kept in IndexedDB, and is shown from there
// after an offline reload; an invalid one is a clear error.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODELS_ROOT } from '../../tools/demo-model';
import { expect, test } from '../support/fixtures';

const FILLERS = 600;

/** The demo catalog plus 600 models with 10,000-character descriptions (about 6 MB). */
async function bigCatalog(): Promise<string> {
  const demo = JSON.parse(await readFile(join(MODELS_ROOT, 'catalog.json'), 'utf8'));
  for (let i = 0; i < FILLERS; i++) {
    const id = `filler-${String(i).padStart(3, '0')}`;
    demo.models.push({
      id,
      name: `Filler ${i}`,
      version: '1.0.0',
      framework: 'onnx',
      task: 'text-generation',
      // ASCII: as many UTF-16 units (what localStorage counts) as bytes.
      description: `Filler model ${i}. `.padEnd(10_000, 'lorem ipsum '),
      size: 1_000_000 + i,
      manifest: `${id}/1.0.0/manifest.json`,
    });
  }
  return JSON.stringify(demo);
}

test('a valid 6 MB catalog loads, is kept in IndexedDB, and is listed offline from there', async ({
  page,
  context,
  servers,
  network,
}) => {
  // Rendering 601 cards with 6 MB of text takes Chromium tens of seconds on a
  // shared CI machine (validating the catalog takes ~70 ms in Node).
  test.setTimeout(300_000);
  const body = await bigCatalog();
  // The demo catalog's own models (the story model, and the task models when packed) plus the fillers.
  const listed = (JSON.parse(body) as { models: unknown[] }).models.length;
  expect(body.length).toBeGreaterThan(6_000_000);
  servers.models.setPlugins([
    {
      name: 'big-catalog',
      onRequest: (ctx) =>
        ctx.path === '/catalog.json'
          ? { status: 200, headers: { 'content-type': 'application/json' }, body }
          : undefined,
    },
  ]);

  await page.goto(servers.app.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect(page.getByTestId('model-filler-599')).toBeVisible();
  await expect(page.locator('.model-card')).toHaveCount(listed);
  // The demo model's manifest, fetched and checked by the catalog service, feeds the planner.
  await expect(page.getByTestId('model-stories260k').getByTestId('verdict')).toContainText(
    'Runs on this device',
  );

  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('runanywhere');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const record = await new Promise<{ catalog: { models: unknown[] } } | undefined>(
      (resolve, reject) => {
        const request = db.transaction('catalog').objectStore('catalog').get('last');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      },
    );
    db.close();
    // What the app used to do: localStorage cannot hold this catalog.
    let legacy = 'stored';
    try {
      localStorage.setItem('probe', JSON.stringify(record?.catalog));
    } catch (error) {
      legacy = (error as DOMException).name;
    }
    return { models: record?.catalog.models.length, localStorage: localStorage.length, legacy };
  });
  expect(stored).toEqual({ models: listed, localStorage: 0, legacy: 'QuotaExceededError' });

  await context.setOffline(true);
  network.offline = true;
  const requests = servers.models.stats.requests;
  await page.reload();
  await expect(
    page.getByText('You are offline: showing the catalog from your last visit.'),
  ).toBeVisible();
  await expect(page.locator('.model-card')).toHaveCount(listed);
  await expect(page.getByTestId('model-stories260k')).toBeVisible();
  expect(servers.models.stats.requests).toBe(requests);
});

test('a catalog whose manifest path leaves the host is refused with invalid-catalog', async ({
  page,
  servers,
}) => {
  const demo = JSON.parse(await readFile(join(MODELS_ROOT, 'catalog.json'), 'utf8'));
  demo.models[0].manifest = 'https:evil.example/manifest.json';
  const body = JSON.stringify(demo);
  servers.models.setPlugins([
    {
      name: 'escaping-catalog',
      onRequest: (ctx) => (ctx.path === '/catalog.json' ? { status: 200, body } : undefined),
    },
  ]);
  await page.goto(servers.app.url);
  await expect(page.getByRole('alert')).toContainText(
    'Could not load the model catalog: The list of models (catalog) is malformed.',
  );
  await expect(page.locator('.model-card')).toHaveCount(0);
});
