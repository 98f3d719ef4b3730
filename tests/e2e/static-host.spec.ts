// The built app behind a plain static server that sends no special headers
// (as on most static hosts): the service worker takes over, the app reloads
// once, and the page is cross-origin isolated; the precache holds the app
// shell only, no runtime file.

import { sortBuiltFiles } from '../../src/core/swAssets';
import { listBuiltFiles } from '../../tools/build/serviceWorkerPlugin';
import { createStaticServer, type StaticServer } from '../../tools/serve/staticServer';
import { DIST, expect, test } from '../support/fixtures';

let host: StaticServer;
test.beforeEach(async () => {
  host = await createStaticServer(DIST);
});
test.afterEach(async () => {
  await host.close();
});

test('a static host with no special headers: cross-origin isolated once the service worker takes over', async ({
  page,
}) => {
  const first = await page.goto(host.url);
  // The host itself sends no isolation headers.
  const headers = first?.headers() ?? {};
  expect(headers['cross-origin-embedder-policy']).toBeUndefined();
  expect(headers['cross-origin-opener-policy']).toBeUndefined();
  // The app reloads itself once the service worker controls it.
  await page.waitForEvent('load');
  expect(
    await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      controlled: navigator.serviceWorker.controller !== null,
      sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    })),
  ).toEqual({ isolated: true, controlled: true, sharedArrayBuffer: true });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // The deployed app's model source is the Hub, never a localhost model host.
  const config = await page.evaluate(async () => (await fetch('config.json')).json());
  expect(config).toEqual({ hubEndpoint: 'https://huggingface.co' });
  await expect(page.getByRole('button', { name: 'Add from Hugging Face' })).toBeVisible();
});

test('the precache holds the app shell and no runtime file', async ({ page }) => {
  await page.goto(host.url);
  // Once the app's own reload under the service worker is over.
  await page.waitForEvent('load');
  const precached = await page.evaluate(async () => {
    const name = (await caches.keys()).find((key) => key.startsWith('workbox-precache'));
    if (!name) return null;
    const keys = await (await caches.open(name)).keys();
    return keys.map((request) => {
      const url = new URL(request.url);
      url.searchParams.delete('__WB_REVISION__');
      return url.href.slice(location.origin.length + 1);
    });
  });
  const assets = sortBuiltFiles(await listBuiltFiles(DIST));
  expect(precached?.sort()).toEqual(assets.precache);
  const runtimeFiles = Object.values(assets.runtimes).flat();
  expect(runtimeFiles.length).toBeGreaterThan(0);
  expect(precached?.filter((f) => runtimeFiles.includes(f) || /\.(wasm|mjs)$/.test(f))).toEqual([]);
});
