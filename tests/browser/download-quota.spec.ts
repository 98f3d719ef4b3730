// Storage limits: a quota smaller than the model (enforced through CDP, which
// the storage estimate does not show) fails cleanly with insufficient-storage,
// nothing looks installed, and once the quota is raised the download resumes.

import { throttle } from '../../tools/serve/throttle';
import { expect, test } from '../support/fixtures';
import {
  call,
  FAST_OPTIONS,
  MODEL_ID,
  MODEL_VERSION,
  makeTestModel,
  modelBytesSent,
  openHarness,
  serveModel,
  storedMismatches,
} from './download-fixture';

test('a model larger than the quota fails with insufficient-storage, and completes after the quota is raised', async ({
  context,
  page,
  servers,
}) => {
  const model = await makeTestModel();
  const server = await serveModel(model);
  try {
    await openHarness(page, servers.harness.url);
    const cdp = await context.newCDPSession(page);
    const origin = new URL(servers.harness.url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 * 1024 });
    const url = `${server.url}/${model.manifestPath}`;
    const setQuota = (quotaSize: number) =>
      cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize });

    // The estimate still shows the old quota (ENVIRONMENT.md): the write that crosses it fails.
    const refused = await call(page, 'run', url, FAST_OPTIONS);
    expect(refused).toMatchObject({ ok: false, code: 'insufficient-storage' });
    if (!refused.ok) expect(refused.details.needed).toBeGreaterThan(0);
    expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);

    // Mid-download: the quota shrinks under a running download.
    await setQuota(512 * 1024 * 1024);
    server.setPlugins([throttle(192 * 1024)]);
    await call(page, 'start', url, FAST_OPTIONS);
    await expect.poll(() => modelBytesSent(server)).toBeGreaterThan(model.totalBytes / 3);
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    await setQuota(usage + 64 * 1024);
    const failed = await call(page, 'wait', url);
    expect(failed).toMatchObject({ ok: false, code: 'insufficient-storage' });
    if (!failed.ok) expect(failed.details.needed).toBeGreaterThan(0);
    expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);
    const kept = (await call(page, 'journals', `${MODEL_ID}@${MODEL_VERSION}`)).reduce(
      (n, j) => n + j.done.length,
      0,
    );
    expect(kept).toBeGreaterThan(0);

    // Raised again: the download resumes from what was kept and completes.
    await server.idle();
    server.setPlugins([]);
    server.resetStats();
    await setQuota(512 * 1024 * 1024);
    const resumed = await call(page, 'run', url, FAST_OPTIONS);
    expect(resumed.ok).toBe(true);
    expect(await storedMismatches(page, model)).toEqual([]);
    await server.idle();
    expect(modelBytesSent(server)).toBeLessThan(model.totalBytes);
  } finally {
    await server.close();
    await model.close();
  }
});
