// A download worker that the browser kills (not our own terminate()) is
// detected by the bridge's life lock: the pending download rejects with the
// typed `worker-crashed` instead of hanging, the card offers Resume, and the
// resume re-fetches at most one chunk per connection. The worker is killed
// from outside the page, through the DevTools protocol (see `workerKiller`).

import type { BrowserContext, Page } from '@playwright/test';
import { throttle } from '../../tools/serve/throttle';
import { expect, test } from '../support/fixtures';
import {
  CHUNK,
  call,
  FAST_OPTIONS,
  MODEL_ID,
  MODEL_VERSION,
  makeTestModel,
  modelBytesSent,
  openHarness,
  serveModel,
  storedMismatches,
  type TestModel,
} from './download-fixture';

/**
 * Kills the page's download worker from outside, over the DevTools protocol,
 * the way the browser ends one: no call to the app or its bridge, no message
 * to the worker. Chromium refuses `Target.closeTarget` for dedicated workers
 * ("Specified target doesn't support closing"), and a crash through the
 * worker's session (`Page.crash`, a heap overflow) takes the whole renderer,
 * page included. So the protocol finds the page's Worker objects in its heap
 * (`Runtime.queryObjects`) and ends them with the DOM's terminate(): the bridge
 * hears nothing and must learn of the death from the worker's life lock alone.
 */
async function workerKiller(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  const workers = new Map<string, string>();
  cdp.on('Target.attachedToTarget', ({ targetInfo }) => {
    if (targetInfo.type === 'worker') workers.set(targetInfo.targetId, targetInfo.url);
  });
  cdp.on('Target.detachedFromTarget', ({ targetId }) => {
    if (targetId) workers.delete(targetId);
  });
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    flatten: true,
    waitForDebuggerOnStart: false,
  });
  const downloadWorkers = () =>
    [...workers.values()].filter((url) => /download[\w-]*\.worker/.test(url));
  return {
    async killDownloadWorker(): Promise<void> {
      expect(downloadWorkers(), 'one download worker runs').toHaveLength(1);
      const { result: prototype } = await cdp.send('Runtime.evaluate', {
        expression: 'Worker.prototype',
      });
      const { objects } = await cdp.send('Runtime.queryObjects', {
        prototypeObjectId: prototype.objectId as string,
      });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: objects.objectId as string,
        functionDeclaration:
          'function () { for (const w of this) w.terminate(); return this.length; }',
        returnByValue: true,
      });
      expect(result.value).toBeGreaterThanOrEqual(1);
      await expect.poll(downloadWorkers).toEqual([]);
    },
  };
}

let model: TestModel;
test.beforeAll(async () => {
  model = await makeTestModel();
});
test.afterAll(async () => {
  await model.close();
});

const options = FAST_OPTIONS;
const perInterruption = (options.connections ?? 4) * CHUNK;

test('a download worker killed from outside mid-download rejects with worker-crashed, and the resume verifies every byte re-fetching at most one chunk per connection', async ({
  context,
  page,
  servers,
}) => {
  const server = await serveModel(model, [throttle(192 * 1024)]);
  try {
    await openHarness(page, servers.harness.url);
    const killer = await workerKiller(context, page);
    const url = `${server.url}/${model.manifestPath}`;
    await call(page, 'start', url, options);
    await expect.poll(() => modelBytesSent(server)).toBeGreaterThan(model.totalBytes / 3);
    await killer.killDownloadWorker();

    expect(await call(page, 'wait', url)).toEqual({
      ok: false,
      code: 'worker-crashed',
      details: { worker: 'download', cause: 'worker ended unexpectedly' },
    });
    expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);
    await server.idle();
    expect(modelBytesSent(server)).toBeLessThan(model.totalBytes);

    server.setPlugins([]);
    expect((await call(page, 'run', url, options)).ok).toBe(true);
    expect(await storedMismatches(page, model)).toEqual([]);
    await server.idle();
    expect(modelBytesSent(server) - model.totalBytes).toBeLessThanOrEqual(perInterruption);
  } finally {
    await server.close();
  }
});

test('in the app, a download worker killed from outside leaves the card on Resume with the error, and Resume installs the model', async ({
  context,
  page,
  servers,
}) => {
  servers.models.setPlugins([throttle(32 * 1024)]);
  await page.goto(servers.app.url);
  const killer = await workerKiller(context, page);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.locator('.download-text')).toContainText(/ of 1\.1 MB/);
  await expect.poll(() => servers.models.stats.bytesSent).toBeGreaterThan(200_000);
  await killer.killDownloadWorker();

  await expect(card.getByTestId('download-error')).toHaveAttribute('data-code', 'worker-crashed');
  // Stopped, not running: the bar stays with what was verified, labelled paused (issue 11).
  await expect(card.getByTestId('download-progress')).toHaveAttribute('aria-label', /, paused$/);
  await expect(card.getByTestId('installed')).toHaveCount(0);

  servers.models.setPlugins([]);
  await card.getByRole('button', { name: 'Resume' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  await expect(card.getByTestId('download-error')).toHaveCount(0);
});
