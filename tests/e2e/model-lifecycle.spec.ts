// A model's life around memory and offline use, in real Chromium against the
// real model server: Delete ends the runtime worker holding the model, Reload
// into a new version releases it before the page goes, and a model whose
// runtime could not be cached for offline use is not installed.

import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sortBuiltFiles } from '../../src/core/swAssets';
import { RUNTIME_CACHE } from '../../src/core/swMessages';
import { listBuiltFiles } from '../../tools/build/serviceWorkerPlugin';
import { type AppServer, createAppServer } from '../../tools/serve/appServer';
import { DIST, expect, type Servers, test } from '../support/fixtures';

const NEXT_TITLE = 'RunAnywhere (next)';
/** The transformers.js runtime's worker, which holds a loaded model. */
const RUNTIME_WORKER = /\/assets\/transformers\.worker-[^/]+\.js$/;

function runtimeWorkers(page: Page): number {
  return page.workers().filter((w) => RUNTIME_WORKER.test(w.url())).length;
}

/** Errors the page reports (uncaught, or logged with console.error). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

const ENDED_KEY = 'test:workers-ended-before-unload';

/**
 * Runs in the page before its own scripts: notes each worker the page ends
 * (`terminate()`, with its script URL) and, as the page starts to unload,
 * saves that list where the next page can read it. Observes only.
 */
function probeWorkerEnds(key: string): void {
  const Native = window.Worker;
  const urls = new WeakMap<Worker, string>();
  const ended: string[] = [];
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      urls.set(this, new URL(url, location.href).href);
    }
  };
  const terminate = Native.prototype.terminate;
  Native.prototype.terminate = function (this: Worker) {
    ended.push(urls.get(this) ?? '');
    terminate.call(this);
  };
  addEventListener('beforeunload', () => {
    if (!localStorage.getItem(key)) localStorage.setItem(key, JSON.stringify(ended));
  });
}

async function install(page: Page) {
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  return card;
}

/** Opens the chat on the installed demo model and waits for a whole reply. */
async function chat(page: Page) {
  await page
    .getByTestId('model-stories260k')
    .getByRole('button', { name: 'Start chatting' })
    .click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Once upon a time');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.locator('.message[data-role="assistant"]').last();
  await expect(reply).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(reply.locator('.message-text')).not.toBeEmpty();
}

/** A copy of the built app that a test may change (a redeploy, a missing file). */
async function deployCopy(servers: Servers): Promise<{ root: string; app: AppServer }> {
  const root = await mkdtemp(join(tmpdir(), 'runanywhere-deploy-'));
  await cp(DIST, root, { recursive: true });
  const app = await createAppServer({
    root,
    config: { modelHost: `${servers.models.url.replace(/\/$/, '')}/` },
  });
  return { root, app };
}

/**
 * Deploys the next version over `root`: another title in index.html, and the
 * service worker's precache list carrying that file's new revision, as a
 * rebuild after the change would produce (as tests/webkit/update.test.ts does).
 */
async function deployNextVersion(root: string): Promise<void> {
  const index = join(root, 'index.html');
  const html = (await readFile(index, 'utf8')).replace(
    /<title>[^<]*<\/title>/,
    `<title>${NEXT_TITLE}</title>`,
  );
  const sw = join(root, 'sw.js');
  const script = await readFile(sw, 'utf8');
  const entry = /"revision":"([0-9a-f]{32})","url":"index\.html"/.exec(script);
  expect(entry).not.toBeNull();
  const revision = createHash('md5').update(html).digest('hex');
  // Compressed copies of the old file would be served in its place.
  await rm(`${index}.br`, { force: true });
  await rm(`${index}.gz`, { force: true });
  await writeFile(index, html);
  await writeFile(sw, script.replace(entry?.[1] as string, revision));
  await rm(`${sw}.br`, { force: true });
  await rm(`${sw}.gz`, { force: true });
}

test('Delete of the model the chat has loaded ends its runtime worker, and the chat no longer offers it', async ({
  page,
  servers,
}) => {
  // Two installs and two whole replies, on a machine that may be busy.
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await page.goto(servers.app.url);
  const card = await install(page);
  await chat(page);
  // The runtime's worker, and the threads ORT's multithreaded WASM starts from the same script.
  expect(runtimeWorkers(page)).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Models', exact: true }).click();
  await card.getByRole('button', { name: 'Delete' }).click();
  await card.getByRole('button', { name: 'Delete model' }).click();
  await expect(card.getByRole('button', { name: 'Download' })).toBeVisible();
  // The release is awaited before the files go; the browser reports the end a moment later.
  await expect.poll(() => runtimeWorkers(page), { timeout: 5000 }).toBe(0);

  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  await expect(page.getByText('No model is installed yet.')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveCount(0);
  expect(errors).toEqual([]);

  // Installed again, it loads afresh in a new worker and answers.
  await page.getByRole('button', { name: 'Models', exact: true }).click();
  await install(page);
  await chat(page);
  expect(runtimeWorkers(page)).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('Reload into a new version ends the runtime worker holding the model before the page reloads', async ({
  page,
  servers,
}) => {
  test.setTimeout(240_000);
  const { root, app } = await deployCopy(servers);
  await page.addInitScript(probeWorkerEnds, ENDED_KEY);
  try {
    await page.goto(app.url);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await install(page);
    await chat(page);
    expect(runtimeWorkers(page)).toBeGreaterThan(0);

    await deployNextVersion(root);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const banner = page.getByRole('status').filter({ hasText: 'A new version' });
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(page).toHaveTitle(NEXT_TITLE, { timeout: 30_000 });
    // Written by the probe as the old page began to unload: the runtime's worker had already been ended.
    const ended = await page.evaluate((key) => localStorage.getItem(key), ENDED_KEY);
    expect(JSON.parse(ended ?? '[]')).toContainEqual(expect.stringMatching(RUNTIME_WORKER));
  } finally {
    await app.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('a runtime the service worker cannot cache leaves the model not installed with a typed error; once it can, the model installs', async ({
  page,
  servers,
}) => {
  const { root, app } = await deployCopy(servers);
  const { runtimes } = sortBuiltFiles(await listBuiltFiles(DIST));
  const wasm = runtimes.transformers.filter((f) => f.endsWith('.wasm'));
  expect(wasm.length).toBeGreaterThan(0);
  // The runtime's .wasm (and its compressed copies) is missing from the host.
  const assets = join(root, 'assets');
  const hidden = (await readdir(assets)).filter((f) =>
    wasm.some((w) => w.endsWith(f.replace(/\.(br|gz)$/, ''))),
  );
  for (const f of hidden) await rename(join(assets, f), join(assets, `${f}.hidden`));
  try {
    await page.goto(app.url);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const card = page.getByTestId('model-stories260k');
    await card.getByRole('button', { name: 'Download' }).click();
    const error = card.getByTestId('download-error');
    await expect(error).toHaveAttribute('data-code', 'runtime-not-cached', { timeout: 60_000 });
    await expect(error).toContainText('not installed');
    await expect(card.getByTestId('installed')).toHaveCount(0);
    // Not installed after a reload either: no record says so.
    await page.reload();
    await expect(card.getByRole('button', { name: 'Resume' })).toBeVisible();
    await expect(card.getByTestId('installed')).toHaveCount(0);
    const before = servers.models.stats.log.length;

    for (const f of hidden) await rename(join(assets, `${f}.hidden`), join(assets, f));
    await card.getByRole('button', { name: 'Resume' }).click();
    await expect(card.getByTestId('installed')).toBeVisible({ timeout: 60_000 });
    // The verified files were kept: the retry only re-read the manifest.
    // The verified files were kept: the retry fetched the manifest again, no file of the model.
    const retried = servers.models.stats.log.slice(before).map((entry) => entry.path);
    expect(retried.filter((path) => path.startsWith('/stories260k/'))).toEqual([
      '/stories260k/1.0.0/manifest.json',
    ]);
    const missing = await page.evaluate(
      async ({ cacheName, files }) => {
        const cache = await caches.open(cacheName);
        const hits = await Promise.all(files.map((f) => cache.match(new URL(f, location.href))));
        return files.filter((_, i) => !hits[i]);
      },
      { cacheName: RUNTIME_CACHE, files: runtimes.transformers },
    );
    expect(missing).toEqual([]);
  } finally {
    await app.close();
    await rm(root, { recursive: true, force: true });
  }
});
