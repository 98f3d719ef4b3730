// Downloads that outlive their page: a reload or a closed owner tab mid-download
// loses at most the chunks in flight, the next owner resumes on its own, and two
// tabs asking for the same model share one download.

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

let model: TestModel;
test.beforeAll(async () => {
  model = await makeTestModel();
});
test.afterAll(async () => {
  await model.close();
});

const options = FAST_OPTIONS;
const perInterruption = (options.connections ?? 4) * CHUNK;

test('a reload mid-download resumes by itself on the next visit and re-fetches at most one chunk per connection', async ({
  page,
  servers,
}) => {
  const server = await serveModel(model, [throttle(192 * 1024)]);
  try {
    await openHarness(page, servers.harness.url);
    const url = `${server.url}/${model.manifestPath}`;
    await call(page, 'coordinate');
    void call(page, 'coordinatedRun', url, options).catch(() => {});
    await expect.poll(() => modelBytesSent(server)).toBeGreaterThan(model.totalBytes / 2);
    await page.reload();
    await page.waitForFunction(() => 'harness' in window);
    await server.idle();
    server.setPlugins([]);
    // The next visit: becoming the downloads owner resumes what was interrupted.
    await call(page, 'coordinate');
    await expect
      .poll(() => call(page, 'isInstalled', MODEL_ID, MODEL_VERSION), { timeout: 60_000 })
      .toBe(true);
    expect(await storedMismatches(page, model)).toEqual([]);
    await server.idle();
    expect(modelBytesSent(server) - model.totalBytes).toBeLessThanOrEqual(perInterruption);
  } finally {
    await server.close();
  }
});

test('two tabs downloading the same model: one owner, every byte fetched once, installed once', async ({
  context,
  page,
  servers,
}) => {
  const server = await serveModel(model, [throttle(512 * 1024)]);
  try {
    const other = await context.newPage();
    await openHarness(page, servers.harness.url);
    await openHarness(other, servers.harness.url);
    await call(page, 'coordinate');
    await expect.poll(() => call(page, 'isOwner')).toBe(true);
    await call(other, 'coordinate');
    const url = `${server.url}/${model.manifestPath}`;
    const [a, b] = await Promise.all([
      call(page, 'coordinatedRun', url, options),
      call(other, 'coordinatedRun', url, options),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect([await call(page, 'isOwner'), await call(other, 'isOwner')]).toEqual([true, false]);
    // The other tab saw the owner's progress.
    expect(await call(other, 'coordinatorEvents')).toContain('progress');
    await server.idle();
    expect(modelBytesSent(server)).toBe(model.totalBytes);
    expect(await call(other, 'installedCount')).toBe(1);
    expect(await storedMismatches(other, model)).toEqual([]);
  } finally {
    await server.close();
  }
});

test('when the owner tab closes mid-download, the other tab takes over and completes it', async ({
  context,
  page,
  servers,
}) => {
  const server = await serveModel(model, [throttle(192 * 1024)]);
  try {
    const other = await context.newPage();
    await openHarness(page, servers.harness.url);
    await openHarness(other, servers.harness.url);
    await call(page, 'coordinate');
    await expect.poll(() => call(page, 'isOwner')).toBe(true);
    await call(other, 'coordinate');
    const url = `${server.url}/${model.manifestPath}`;
    void call(page, 'coordinatedRun', url, options).catch(() => {});
    const joined = call(other, 'coordinatedRun', url, options);
    await expect.poll(() => modelBytesSent(server)).toBeGreaterThan(model.totalBytes / 3);
    await page.close();
    await expect.poll(() => call(other, 'isOwner')).toBe(true);
    server.setPlugins([]);
    expect((await joined).ok).toBe(true);
    expect(await storedMismatches(other, model)).toEqual([]);
    await server.idle();
    expect(modelBytesSent(server) - model.totalBytes).toBeLessThanOrEqual(perInterruption);
  } finally {
    await server.close();
  }
});
