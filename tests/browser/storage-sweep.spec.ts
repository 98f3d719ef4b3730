// The orphan sweep in real Chromium: bytes under OPFS `models/` and IndexedDB
// chunk records that no install, journal or download owns are deleted when a
// tab becomes the downloads owner (app start); an installed model's files and
// a paused download's files stay, and the paused download still resumes.

import { throttle } from '../../tools/serve/throttle';
import { expect, test } from '../support/fixtures';
import {
  FAST_OPTIONS,
  MODEL_ID,
  MODEL_VERSION,
  makeTestModel,
  modelBytesSent,
  serveModel,
  type TestModel,
} from './download-fixture';
import { callStorage as call, openStorageHarness } from './storage-fixture';

const PAUSED_ID = 'paused-model';

let installed: TestModel;
let paused: TestModel;
test.beforeAll(async () => {
  installed = await makeTestModel();
  paused = await makeTestModel({ id: PAUSED_ID });
});
test.afterAll(async () => {
  await installed.close();
  await paused.close();
});

/** The OPFS entries of one stored model, as the harness's `tree` lists them. */
function treeOf(id: string, model: TestModel): string[] {
  const base = `${id}/${MODEL_VERSION}/`;
  const dirs = new Set<string>([`${id}/`, base]);
  for (const path of model.paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(`${base}${parts.slice(0, i).join('/')}/`);
  }
  return [...dirs, ...model.paths.map((p) => `${base}${p}`)];
}

test('orphaned files and folders are swept at start-up; an installed model and a paused download stay', async ({
  page,
  servers,
}) => {
  const options = { ...FAST_OPTIONS, backend: 'opfs-sync' as const };
  const server = await serveModel(installed);
  const slow = await serveModel(paused, [throttle(256 * 1024)]);
  try {
    await openStorageHarness(page, servers.harness.url);
    expect(
      (await call(page, 'install', `${server.url}/${installed.manifestPath}`, options)).ok,
    ).toBe(true);
    const pausedUrl = `${slow.url}/${paused.manifestPath}`;
    await call(page, 'start', pausedUrl, options);
    await expect.poll(() => modelBytesSent(slow)).toBeGreaterThan(paused.totalBytes / 4);
    await call(page, 'pause', pausedUrl);
    expect(await call(page, 'wait', pausedUrl)).toMatchObject({ ok: false, code: 'cancelled' });
    const journaled = await call(page, 'journals', `${PAUSED_ID}@${MODEL_VERSION}`);
    expect(journaled.some((j) => j.done.length > 0)).toBe(true);

    // Orphans: a stray file, a whole model folder, a file the installed manifest
    // does not list, and IndexedDB chunk records of no model.
    await call(page, 'plant', 'stray.bin', 1000);
    await call(page, 'plant', 'ghost/1.0.0/weights/a.bin', 5000);
    await call(page, 'plant', `${MODEL_ID}/${MODEL_VERSION}/leftover.bin`, 100);
    await call(page, 'plantChunk', 'ghost@1.0.0/a.bin', 4096);
    const kept = [...treeOf(MODEL_ID, installed), ...treeOf(PAUSED_ID, paused)].sort();
    expect(await call(page, 'tree')).toEqual(
      [
        ...kept,
        'stray.bin',
        'ghost/',
        'ghost/1.0.0/',
        'ghost/1.0.0/weights/',
        'ghost/1.0.0/weights/a.bin',
        `${MODEL_ID}/${MODEL_VERSION}/leftover.bin`,
      ].sort(),
    );

    // A new start of the app: a fresh page (and download worker) becomes the owner.
    await page.reload();
    await page.waitForFunction(() => 'harness' in window);
    await call(page, 'coordinate');
    await expect.poll(() => call(page, 'tree')).toEqual(kept);
    expect(await call(page, 'chunkFiles')).toEqual([]);
    expect(await call(page, 'journals', `${PAUSED_ID}@${MODEL_VERSION}`)).toEqual(journaled);

    // What stayed is still good: the installed model reads back, the paused download finishes.
    const hashes = await call(page, 'storedHashes', MODEL_ID, MODEL_VERSION, installed.paths);
    expect(hashes).toEqual(
      Object.fromEntries(installed.manifest.files.map((f) => [f.path, f.sha256])),
    );
    slow.setPlugins([]);
    expect((await call(page, 'install', pausedUrl, options)).ok).toBe(true);
    const resumed = await call(page, 'storedHashes', PAUSED_ID, MODEL_VERSION, paused.paths);
    expect(resumed).toEqual(
      Object.fromEntries(paused.manifest.files.map((f) => [f.path, f.sha256])),
    );
  } finally {
    await server.close();
    await slow.close();
  }
});

test('a journal and bytes whose download record is gone (a Cancel cut short) are swept together', async ({
  page,
  servers,
}) => {
  const options = { ...FAST_OPTIONS, backend: 'opfs-sync' as const };
  const slow = await serveModel(paused, [throttle(256 * 1024)]);
  try {
    await openStorageHarness(page, servers.harness.url);
    const url = `${slow.url}/${paused.manifestPath}`;
    await call(page, 'start', url, options);
    await expect.poll(() => modelBytesSent(slow)).toBeGreaterThan(paused.totalBytes / 4);
    await call(page, 'pause', url);
    expect(await call(page, 'wait', url)).toMatchObject({ ok: false, code: 'cancelled' });
    const modelKey = `${PAUSED_ID}@${MODEL_VERSION}`;
    expect((await call(page, 'journals', modelKey)).length).toBeGreaterThan(0);
    // Cancel deletes the record first; a reload before it deleted the rest leaves this.
    await call(page, 'dropDownloadRecord', url);
    expect(await call(page, 'tree')).toEqual(treeOf(PAUSED_ID, paused).sort());

    await page.reload();
    await page.waitForFunction(() => 'harness' in window);
    await call(page, 'coordinate');
    await expect.poll(() => call(page, 'tree')).toEqual([]);
    expect(await call(page, 'journals', modelKey)).toEqual([]);
  } finally {
    await slow.close();
  }
});
