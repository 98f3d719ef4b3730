// Damaged models in the app: a stored file deleted or changed behind the app's
// back is reported in plain words (the chat refuses the model, its card says
// Damaged) and Repair fetches only what is bad, counted in the server's log.

import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';

const MODEL = 'onnx/model.onnx';
const DAMAGED = /damaged or missing\. Repair downloads only the damaged parts\./;

interface Manifest {
  files: Array<{ path: string; size: number; chunks: Array<{ offset: number; length: number }> }>;
}

async function install(page: Page, url: string) {
  await page.goto(url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  return card;
}

/** Changes a stored file of the demo model from the page, as something outside the app might. */
function damage(page: Page, how: 'delete' | 'flip', path: string, at = 0) {
  return page.evaluate(
    async ({ how, path, at }) => {
      const parts = ['models', 'stories260k', '1.0.0', ...path.split('/')];
      const name = parts.pop() as string;
      let dir = await navigator.storage.getDirectory();
      for (const part of parts) dir = await dir.getDirectoryHandle(part);
      if (how === 'delete') return dir.removeEntry(name);
      const handle = await dir.getFileHandle(name);
      const old = new Uint8Array(await (await handle.getFile()).slice(at, at + 1).arrayBuffer());
      const writable = await handle.createWritable({ keepExistingData: true });
      await writable.write({
        type: 'write',
        position: at,
        data: new Uint8Array([(old[0] ?? 0) ^ 1]),
      });
      await writable.close();
    },
    { how, path, at },
  );
}

/** Requests for the demo model's files (not its manifest, not the catalog). */
function modelFilesFetched<T extends { path: string }>(log: T[]): T[] {
  return log.filter((e) => e.path.startsWith('/stories260k/') && !e.path.endsWith('manifest.json'));
}

async function manifestOf(modelsUrl: string): Promise<Manifest> {
  return (await (
    await fetch(new URL('stories260k/1.0.0/manifest.json', modelsUrl))
  ).json()) as Manifest;
}

test('a deleted file: the chat refuses the model in plain words, the card says Damaged, and Repair fetches that file alone', async ({
  page,
  servers,
}) => {
  // Two model loads and a repair: on a loaded 2-core machine one load alone took 35 s.
  test.setTimeout(300_000);
  const card = await install(page, servers.app.url);
  await damage(page, 'delete', MODEL);

  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Once upon a time');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.locator('.message[data-role="assistant"]').last();
  await expect(reply).toHaveAttribute('data-state', 'error');
  await expect(reply.locator('.error')).toHaveText(DAMAGED);

  await page.getByRole('button', { name: 'Models', exact: true }).click();
  await expect(card.getByTestId('damaged')).toContainText(DAMAGED);
  await expect(card.getByTestId('installed')).toHaveCount(0);

  servers.models.resetStats();
  await card.getByRole('button', { name: 'Repair' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  const size = (await manifestOf(servers.models.url)).files.find((f) => f.path === MODEL)?.size;
  const fetched = modelFilesFetched(servers.models.stats.log);
  expect(new Set(fetched.map((e) => e.path))).toEqual(new Set([`/stories260k/1.0.0/${MODEL}`]));
  expect(fetched.reduce((sum, e) => sum + e.bytes, 0)).toBe(size);

  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Once upon a time');
  await page.getByRole('button', { name: 'Send' }).click();
  const second = page.locator('.message[data-role="assistant"]').last();
  await expect(second).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  expect((await second.locator('.message-text').textContent())?.length).toBeGreaterThan(20);
});

test('Verify finds a flipped byte, the card says Damaged, and Repair fetches only its chunk', async ({
  page,
  servers,
}) => {
  const card = await install(page, servers.app.url);
  const file = (await manifestOf(servers.models.url)).files.find((f) => f.path === MODEL);
  const at = Math.floor((file?.size ?? 0) / 2);
  const chunk = file?.chunks.find((c) => c.offset <= at && at < c.offset + c.length);
  expect(chunk).toBeDefined();
  await damage(page, 'flip', MODEL, at);

  await card.getByRole('button', { name: 'Verify' }).click();
  await expect(card.getByTestId('damaged')).toContainText(DAMAGED);

  servers.models.resetStats();
  await card.getByRole('button', { name: 'Repair' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  const fetched = modelFilesFetched(servers.models.stats.log);
  expect(fetched.map((e) => `${e.path} ${e.range}`)).toEqual([
    `/stories260k/1.0.0/${MODEL} bytes=${chunk?.offset}-${(chunk?.offset ?? 0) + (chunk?.length ?? 0) - 1}`,
  ]);

  await card.getByRole('button', { name: 'Verify' }).click();
  await expect(card.getByTestId('verify-result')).toHaveText(
    '· Checked: every stored byte matches.',
  );
});
