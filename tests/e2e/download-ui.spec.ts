// The Models screen drives real downloads: progress with bytes, rate and time
// left, Pause keeps what was verified, Resume finishes it, Cancel leaves
// nothing installed. The model host is throttled so a person could click.

import { throttle } from '../../tools/serve/throttle';
import { expect, test } from '../support/fixtures';

// Bytes per second per response: with the engine's parallel connections the
// 1.1 MB demo model still takes several seconds, time enough to click.
const SLOW = 32 * 1024;

test('the Models screen shows progress, pauses, resumes and installs the model', async ({
  page,
  servers,
}) => {
  servers.models.setPlugins([throttle(SLOW)]);
  await page.goto(servers.app.url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();

  await expect(card.getByTestId('download-progress')).toBeVisible();
  await expect(card.locator('.download-text')).toContainText(/of 1\.1 MB · .+\/s · .+ left/);
  await card.getByRole('button', { name: 'Pause' }).click();
  await expect(card.getByTestId('download-paused')).toContainText(/Paused at .+ of 1\.1 MB/);
  await expect(card.getByTestId('installed')).toHaveCount(0);

  servers.models.setPlugins([]);
  await card.getByRole('button', { name: 'Resume' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  // Resuming fetched what was missing, not the whole model again.
  const sent = servers.models.stats.bytesSent;
  expect(sent).toBeLessThan(1_124_264 * 1.9);
});

test('Cancel stops the download and leaves nothing installed or stored', async ({
  page,
  servers,
}) => {
  servers.models.setPlugins([throttle(SLOW)]);
  await page.goto(servers.app.url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('download-progress')).toBeVisible();
  await card.getByRole('button', { name: 'Cancel' }).click();
  await expect(card.getByRole('button', { name: 'Download' })).toBeVisible();

  await page.reload();
  await expect(
    page.getByTestId('model-stories260k').getByRole('button', { name: 'Download' }),
  ).toBeVisible();
  const stored = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const names: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
      for await (const [name, handle] of dir as unknown as AsyncIterable<
        [string, FileSystemHandle]
      >) {
        if (handle.kind === 'file') names.push(prefix + name);
        else await walk(handle as FileSystemDirectoryHandle, `${prefix}${name}/`);
      }
    };
    await walk(root, '');
    return names.filter((n) => n.startsWith('models/'));
  });
  expect(stored).toEqual([]);
  await expect(page.getByTestId('installed')).toHaveCount(0);
});
