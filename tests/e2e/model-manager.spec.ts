// The model manager in real Chromium against the real model server: an
// installed model's details, Start chatting, Delete behind a confirmation, a
// download that loses its connection and resumes by itself, a catalog that
// retries by itself, and Settings (theme, clear all data with its list).

import type { Page } from '@playwright/test';
import { throttle } from '../../tools/serve/throttle';
import { expect, test } from '../support/fixtures';
import { smallChunks } from '../support/smallChunks';

async function install(page: Page, url: string) {
  await page.goto(url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  return card;
}

/** Paths of every file under the site's OPFS `models/` folder (what is stored on disk). */
function storedFiles(page: Page) {
  return page.evaluate(async () => {
    type Dir = FileSystemDirectoryHandle & {
      entries(): AsyncIterable<[string, FileSystemHandle]>;
    };
    const files: string[] = [];
    const walk = async (dir: Dir, prefix: string) => {
      for await (const [name, handle] of dir.entries())
        if (handle.kind === 'file') files.push(prefix + name);
        else await walk(handle as Dir, `${prefix}${name}/`);
    };
    const root = await navigator.storage.getDirectory();
    const models = await root.getDirectoryHandle('models').catch(() => null);
    if (models) await walk(models as Dir, '');
    return files;
  });
}

test('an installed model shows its size and version, Start chatting opens it, and Delete asks first and removes every byte', async ({
  page,
  servers,
}) => {
  const card = await install(page, servers.app.url);
  await expect(card.getByTestId('installed-details')).toHaveText(
    /^1\.1 MB on disk · v1\.0\.0 · not used yet/,
  );
  await expect(page.getByTestId('storage-models')).toHaveText('Models 1.1 MB');

  await card.getByRole('button', { name: 'Start chatting' }).click();
  await expect(page.getByTestId('chat-model')).toContainText('TinyStories 260K');

  await page.getByRole('button', { name: 'Models', exact: true }).click();
  await card.getByRole('button', { name: 'Delete' }).click();
  await expect(card.getByTestId('delete-confirm')).toContainText('This frees 1.1 MB');
  await card.getByRole('button', { name: 'Keep' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  expect((await storedFiles(page)).length).toBeGreaterThan(0);

  await card.getByRole('button', { name: 'Delete' }).click();
  await card.getByRole('button', { name: 'Delete model' }).click();
  await expect(card.getByRole('button', { name: 'Download' })).toBeVisible();
  await expect(card.getByTestId('installed')).toHaveCount(0);
  expect(await storedFiles(page)).toEqual([]);
  await expect(page.getByTestId('storage-models')).toHaveText('Models 0 B');
});

smallChunks(
  'a connection lost mid-download shows Reconnecting…, resumes by itself when the network returns, and progress never moves back',
  async ({ page, servers, network }) => {
    // The engine retries each connection for about half a minute before it gives up.
    test.setTimeout(300_000);
    servers.models.setPlugins([throttle(16 * 1024)]);
    await page.goto(servers.app.url);
    const card = page.getByTestId('model-stories260k');
    await card.getByRole('button', { name: 'Download' }).click();
    await expect(card.getByTestId('download-progress')).toBeVisible();
    // Every value the progress bar shows, in order.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      setInterval(() => {
        const bar = document.querySelector<HTMLProgressElement>(
          '[data-testid="download-progress"]',
        );
        if (bar) seen.push(bar.value);
      }, 50);
    });
    await expect
      .poll(() =>
        card.getByTestId('download-progress').evaluate((p: HTMLProgressElement) => p.value),
      )
      .toBeGreaterThan(0.1);

    network.offline = true;
    await expect(card.getByTestId('reconnecting')).toBeVisible({ timeout: 120_000 });
    await expect(card.getByTestId('download-progress')).toBeVisible();
    servers.models.setPlugins([]);
    network.offline = false;
    await expect(card.getByTestId('installed')).toBeVisible({ timeout: 120_000 });

    const seen = await page.evaluate(
      () => (window as unknown as { progressSeen: number[] }).progressSeen,
    );
    expect(seen.length).toBeGreaterThan(10);
    const backwards = seen.filter((value, i) => i > 0 && value < (seen[i - 1] ?? 0));
    expect(backwards).toEqual([]);
  },
);

test('a catalog the host fails to serve offers Retry and loads by itself once the host answers', async ({
  page,
  servers,
}) => {
  let failing = true;
  servers.models.setPlugins([
    {
      name: 'catalog-down',
      onRequest: (ctx) =>
        failing && ctx.path.endsWith('/catalog.json') ? { status: 503, body: 'down' } : undefined,
    },
  ]);
  await page.goto(servers.app.url);
  const failure = page.getByTestId('catalog-error');
  await expect(failure).toContainText('Could not load the model catalog');
  await expect(failure.getByRole('button', { name: 'Retry' })).toBeVisible();
  failing = false;
  // No click: the automatic retry brings the catalog.
  await expect(page.getByTestId('model-stories260k')).toBeVisible({ timeout: 60_000 });
  await expect(failure).toHaveCount(0);
});

test('Settings: the dark theme applies, and Clear all data lists what it deletes, then deletes it', async ({
  page,
  servers,
}) => {
  await install(page, servers.app.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('radio', { name: 'Dark' }).check();
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(
    'rgb(247, 246, 242)',
  );
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

  await page.getByRole('button', { name: 'Clear all data…' }).click();
  const confirm = page.getByTestId('clear-confirm');
  await expect(confirm).toContainText('TinyStories 260K v1.0.0 (1.1 MB)');
  await expect(confirm).toContainText('Conversations');
  await page.getByRole('button', { name: 'Delete everything' }).click();
  // The app reloads empty: no model, default settings.
  const card = page.getByTestId('model-stories260k');
  await expect(card.getByRole('button', { name: 'Download' })).toBeVisible();
  expect(await storedFiles(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
});
