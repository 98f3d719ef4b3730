// The whole product path in real Chromium: open the app, download the demo
// model from the local model server into OPFS, go offline, reload, and chat.

import { sortBuiltFiles } from '../../src/core/swAssets';
import { RUNTIME_CACHE } from '../../src/core/swMessages';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { listBuiltFiles } from '../../tools/build/serviceWorkerPlugin';
import { greedyContinuation } from '../../tools/llama2c/reference';
import { DIST, expect, test } from '../support/fixtures';

const PROMPT = 'Once upon a time, there was a little dog';

test('downloads the demo model, then chats with it offline with zero network requests', async ({
  page,
  context,
  servers,
  network,
}) => {
  await page.goto(servers.app.url);
  // The service worker has precached the app shell once it is active.
  await page.evaluate(() => navigator.serviceWorker.ready);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const card = page.getByTestId('model-stories260k');
  // The planner's verdict for this device, from the real probe.
  await expect(card.getByTestId('verdict')).toContainText('Runs on this device: WASM · fp32');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();

  // Every stored byte matches the manifest.
  const stored = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await (
      await (await root.getDirectoryHandle('models')).getDirectoryHandle('stories260k')
    ).getDirectoryHandle('1.0.0');
    const onnx = await (await dir.getDirectoryHandle('onnx')).getFileHandle('model.onnx');
    const bytes = await (await onnx.getFile()).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  });
  const manifest = (await (
    await fetch(new URL('stories260k/1.0.0/manifest.json', servers.models.url))
  ).json()) as {
    files: Array<{ path: string; sha256: string }>;
  };
  expect(stored).toBe(manifest.files.find((f) => f.path === 'onnx/model.onnx')?.sha256);

  // Its runtime (transformers.js and ORT's .wasm) is cached once it is
  // installed, though it never ran; the TFLite runtimes are never fetched.
  const { runtimes } = sortBuiltFiles(await listBuiltFiles(DIST));
  expect(runtimes.transformers.some((f) => f.endsWith('.wasm'))).toBe(true);
  const cachedRuntime = () =>
    page.evaluate(
      async ({ cacheName, files }) => {
        const cache = await caches.open(cacheName);
        const hits = await Promise.all(files.map((f) => cache.match(new URL(f, location.href))));
        return files.filter((_, i) => !hits[i]);
      },
      { cacheName: RUNTIME_CACHE, files: runtimes.transformers },
    );
  await expect.poll(cachedRuntime, { timeout: 60_000 }).toEqual([]);
  const fetched = servers.app.requests.map((r) => r.replace(/^GET \//, ''));
  expect(fetched.filter((f) => runtimes.tflite.includes(f))).toEqual([]);

  // Offline twice over: the page and its workers (setOffline), and the
  // browser's own traffic (the network switch every request goes through).
  await context.setOffline(true);
  network.offline = true;
  const appRequests = servers.app.requests.length;
  const modelRequests = servers.models.stats.requests;

  await page.reload();
  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill(PROMPT);
  await page.getByRole('button', { name: 'Send' }).click();

  const reply = page.locator('.message[data-role="assistant"]').last();
  await expect(reply).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const expected = greedyContinuation(PROMPT, DEFAULT_GENERATION.maxNewTokens).text;
  expect(expected.length).toBeGreaterThan(20);
  expect(await reply.locator('.message-text').textContent()).toBe(expected);

  expect(servers.app.requests.slice(appRequests)).toEqual([]);
  expect(servers.models.stats.requests).toBe(modelRequests);
  // The only request for our servers that even tried the network is the
  // browser's own check for a new service worker on reload, which fails
  // offline as on any device. (Chromium's own Google traffic is ignored.)
  const ours = [servers.app.url, servers.models.url].map((u) => new URL(u).host);
  const attempted = network.refused.filter((r) => ours.some((host) => r.includes(host)));
  expect(attempted.filter((r) => !r.endsWith('/sw.js'))).toEqual([]);
});

test('Chromium reports no installability errors for the app', async ({
  page,
  context,
  servers,
}) => {
  await page.goto(servers.app.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: Array<{ errorId: string }>;
  };
  expect(installabilityErrors).toEqual([]);
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    return link
      ? ((await (await fetch(link.href)).json()) as {
          icons: Array<{ sizes: string; purpose: string }>;
        })
      : null;
  });
  expect(manifest?.icons.map((i) => `${i.sizes}:${i.purpose}`)).toEqual(
    expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']),
  );
});
