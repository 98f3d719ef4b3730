// A model added from the Hub, end to end in the real app: look it up by repo id
// on the test Hub (tools/hub), see its variants and verdict, download and verify
// it, then go offline, reload, and chat with it through its chat template, with
// zero requests reaching the Hub, its storage host or the app server.

import { join } from 'node:path';
import { type HubFileEntry, hubVariants } from '../../src/core/hubListing';
import { sortBuiltFiles } from '../../src/core/swAssets';
import { RUNTIME_CACHE } from '../../src/core/swMessages';
import { listBuiltFiles } from '../../tools/build/serviceWorkerPlugin';
import { MODELS_ROOT } from '../../tools/demo-model';
import { createHubServer, type HubServer } from '../../tools/hub/hubServer';
import {
  chatmlText,
  STORIES_CHAT_GENERATION,
  storiesChatRepo,
} from '../../tools/hub/storiesChatRepo';
import { greedyContinuationOfIds, loadReference } from '../../tools/llama2c/reference';
import { createAppServer } from '../../tools/serve/appServer';
import { DIST, expect, test } from '../support/fixtures';

const REPO = 'test/stories-chat';
const QUESTION = 'Once upon a time, there was a little dog';

/** Every request the Hub and its storage host have answered. */
const hubRequests = (hub: HubServer) =>
  hub.stats.api.length + hub.stats.resolves.length + hub.stats.storage.length;

test('a chat model added from the Hub by repo id chats offline after a reload, with zero network requests', async ({
  page,
  context,
  network,
}) => {
  const hub = await createHubServer({
    repos: [await storiesChatRepo(REPO, join(MODELS_ROOT, 'stories260k', '1.0.0'))],
  });
  // The production config's shape: the Hub only, no model host.
  const app = await createAppServer({ root: DIST, config: { hubEndpoint: hub.url } });
  try {
    await page.goto(app.url);
    await page.evaluate(() => navigator.serviceWorker.ready);

    await page.getByRole('button', { name: 'Add from Hugging Face' }).click();
    await page.locator('input[name="repo"]').fill(REPO);
    await page.getByRole('button', { name: 'Look up' }).click();
    const report = page.getByTestId('hub-report');
    await expect(report).toBeVisible();
    const commit = hub.repo(REPO).branches.get('main') as string;
    await expect(report).toHaveAttribute('data-commit', commit);
    const variants = hubVariants(hub.repo(REPO).tree(commit) as HubFileEntry[]);
    expect(variants.map((v) => v.dtype)).toEqual(['fp32']);
    const row = report.getByTestId('variant-fp32');
    await expect(row.getByTestId('variant-bytes')).toHaveAttribute(
      'data-bytes',
      String(variants[0]?.bytes),
    );
    await expect(row.getByTestId('variant-verdict')).toContainText('Runs here');
    // Nothing was resolved or fetched before Download.
    expect(hub.stats.resolves).toEqual([]);

    await report.getByTestId('hub-download').click();
    await expect(report.getByTestId('hub-installed')).toBeVisible({ timeout: 60_000 });
    // Each file came through the storage host and was verified (else not installed).
    const fetched = new Set(hub.stats.storage.map((s) => s.key));
    expect(fetched.size).toBe(variants[0]?.files.length);

    // Its runtime (transformers.js and ORT's .wasm) is cached once it is installed.
    const { runtimes } = sortBuiltFiles(await listBuiltFiles(DIST));
    const uncached = () =>
      page.evaluate(
        async ({ cacheName, files }) => {
          const cache = await caches.open(cacheName);
          const hits = await Promise.all(files.map((f) => cache.match(new URL(f, location.href))));
          return files.filter((_, i) => !hits[i]);
        },
        { cacheName: RUNTIME_CACHE, files: runtimes.transformers },
      );
    await expect.poll(uncached, { timeout: 60_000 }).toEqual([]);

    // Offline twice over, as in first-slice.spec.ts.
    await context.setOffline(true);
    network.offline = true;
    const appRequests = app.requests.length;
    const hubCount = hubRequests(hub);

    await page.reload();
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    const key = `test--stories-chat-fp32@0.0.0-c${commit.slice(0, 12)}`;
    await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue(key);
    await page.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const reply = page.locator('.message[data-role="assistant"]').last();
    // Generous: the test machine may be shared (this is no speed check).
    await expect(reply).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    // The chat template applied to the question, continued greedily for the
    // repo's own max_new_tokens (its generation config also turns sampling off).
    const ids = loadReference().tokenizer.encode(
      chatmlText([{ role: 'user', content: QUESTION }]),
      {
        bos: false,
      },
    );
    const expected = greedyContinuationOfIds(ids, STORIES_CHAT_GENERATION.max_new_tokens).text;
    expect(expected.length).toBeGreaterThan(20);
    expect(await reply.locator('.message-text').textContent()).toBe(expected);

    expect(app.requests.slice(appRequests)).toEqual([]);
    expect(hubRequests(hub)).toBe(hubCount);
    const ours = [app.url, hub.url, hub.storageUrl].map((u) => new URL(u).host);
    const attempted = network.refused.filter((r) => ours.some((host) => r.includes(host)));
    // The browser's own check for a new service worker is the only one that tries.
    expect(attempted.filter((r) => !r.endsWith('/sw.js'))).toEqual([]);
  } finally {
    await app.close();
    await hub.close();
  }
});
