// Stored models stay trustworthy, in real Chromium against a real model
// server: after install a flipped byte, a truncated file and a deleted file are
// each detected (by the size check at load or by a re-hash), reported as
// `model-damaged`, and repaired by fetching only the bad chunks, counted in the
// server's log; afterwards every stored byte matches the manifest again.

import type { StoreKind } from '../../src/storage/db';
import { expect, test } from '../support/fixtures';
import {
  CHUNK,
  FAST_OPTIONS,
  MODEL_ID,
  MODEL_VERSION,
  makeTestModel,
  serveModel,
  type TestModel,
} from './download-fixture';
import { callStorage as call, fetchedRanges, openStorageHarness } from './storage-fixture';

const MODEL_KEY = `${MODEL_ID}@${MODEL_VERSION}`;
const A = 'weights/a.bin';
const B = 'weights/b.bin';
const CONFIG = 'config.json';

let model: TestModel;
test.beforeAll(async () => {
  model = await makeTestModel();
});
test.afterAll(async () => {
  await model.close();
});

/** `path bytes=start-end` of chunk `index` of `path`, as the engine asks for it. */
function chunkRange(path: string, index: number): string {
  const chunk = model.manifest.files.find((f) => f.path === path)?.chunks[index];
  if (!chunk) throw new Error(`no chunk ${index} in ${path}`);
  return `${path} bytes=${chunk.offset}-${chunk.offset + chunk.length - 1}`;
}

const opfsPath = (path: string) => `${MODEL_ID}/${MODEL_VERSION}/${path}`;

type Page = Parameters<typeof openStorageHarness>[0];

async function expectIntactAndInstalled(page: Page) {
  const hashes = await call(page, 'storedHashes', MODEL_ID, MODEL_VERSION, model.paths);
  expect(hashes).toEqual(Object.fromEntries(model.manifest.files.map((f) => [f.path, f.sha256])));
  const record = await call(page, 'installRecord', MODEL_ID, MODEL_VERSION);
  expect(record).not.toBeNull();
  expect(record?.damage).toBeUndefined();
  expect(await call(page, 'journals', MODEL_KEY)).toEqual([]);
  expect(await call(page, 'downloadRecords')).toEqual([]);
}

for (const backend of ['opfs-sync', 'idb'] as StoreKind[]) {
  test.describe(`storage backend ${backend}`, () => {
    const options = { ...FAST_OPTIONS, backend };

    test('a flipped byte is found by verify, the model refuses to load, and repair fetches only that chunk', async ({
      page,
      servers,
    }) => {
      const server = await serveModel(model);
      try {
        await openStorageHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        expect((await call(page, 'install', url, options)).ok).toBe(true);
        if (backend === 'idb') await call(page, 'flipIdbByte', `${MODEL_KEY}/${A}`, 5 * CHUNK, 100);
        else await call(page, 'flipByte', opfsPath(A), 5 * CHUNK + 100);

        const verified = await call(page, 'verify', MODEL_ID, MODEL_VERSION);
        expect(verified).toEqual({
          ok: true,
          value: {
            id: MODEL_ID,
            version: MODEL_VERSION,
            damaged: [
              {
                path: A,
                reason: 'content',
                expectedSize: 24 * CHUNK,
                storedSize: 24 * CHUNK,
                badChunks: [5],
              },
            ],
          },
        });
        expect((await call(page, 'installRecord', MODEL_ID, MODEL_VERSION))?.damage?.foundBy).toBe(
          'verify',
        );
        const load = await call(page, 'load', MODEL_ID, MODEL_VERSION, model.paths);
        expect(load).toMatchObject({
          ok: false,
          code: 'model-damaged',
          details: { files: [{ path: A }] },
        });

        // Between the repair's first step and its reinstall, nothing looks installed.
        server.resetStats();
        const plan = await call(page, 'prepareRepair', MODEL_ID, MODEL_VERSION, options);
        expect(plan).toMatchObject({ ok: true, value: { manifestUrl: url } });
        expect(await call(page, 'installRecord', MODEL_ID, MODEL_VERSION)).toBeNull();
        expect(await call(page, 'load', MODEL_ID, MODEL_VERSION, model.paths)).toMatchObject({
          ok: false,
          code: 'model-not-installed',
        });
        expect((await call(page, 'download', url, options)).ok).toBe(true);
        await server.idle();
        expect(fetchedRanges(server)).toEqual([chunkRange(A, 5)]);
        await expectIntactAndInstalled(page);
      } finally {
        await server.close();
      }
    });

    test('an intact model verifies clean and repair fetches nothing', async ({ page, servers }) => {
      const server = await serveModel(model);
      try {
        await openStorageHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        expect((await call(page, 'install', url, options)).ok).toBe(true);
        server.resetStats();
        expect(await call(page, 'verify', MODEL_ID, MODEL_VERSION)).toMatchObject({
          ok: true,
          value: { damaged: [] },
        });
        expect(await call(page, 'repair', MODEL_ID, MODEL_VERSION, options)).toEqual({
          ok: true,
          value: { damaged: [], result: null },
        });
        expect(server.stats.requests).toBe(0);
        await expectIntactAndInstalled(page);
      } finally {
        await server.close();
      }
    });
  });
}

test.describe('storage backend opfs-sync: files changed behind the app', () => {
  const options = { ...FAST_OPTIONS, backend: 'opfs-sync' as const };

  test('a truncated file fails the size check at load, and repair fetches only its missing tail', async ({
    page,
    servers,
  }) => {
    const server = await serveModel(model);
    try {
      await openStorageHarness(page, servers.harness.url);
      const url = `${server.url}/${model.manifestPath}`;
      expect((await call(page, 'install', url, options)).ok).toBe(true);
      const cut = 7 * CHUNK + 10;
      await call(page, 'truncate', opfsPath(B), cut);

      const load = await call(page, 'load', MODEL_ID, MODEL_VERSION, model.paths);
      const size = 11 * CHUNK + 1234;
      expect(load).toEqual({
        ok: false,
        code: 'model-damaged',
        details: {
          id: MODEL_ID,
          version: MODEL_VERSION,
          files: [{ path: B, reason: 'size', expectedSize: size, storedSize: cut, badChunks: [] }],
        },
      });
      const record = await call(page, 'installRecord', MODEL_ID, MODEL_VERSION);
      expect(record?.damage).toMatchObject({
        foundBy: 'load',
        files: [{ path: B, reason: 'size' }],
      });

      server.resetStats();
      const repaired = await call(page, 'repair', MODEL_ID, MODEL_VERSION, options);
      expect(repaired).toMatchObject({
        ok: true,
        value: {
          damaged: [{ path: B, badChunks: [7, 8, 9, 10, 11] }],
          result: { backend: 'opfs-sync' },
        },
      });
      await server.idle();
      expect(fetchedRanges(server)).toEqual([7, 8, 9, 10, 11].map((i) => chunkRange(B, i)).sort());
      await expectIntactAndInstalled(page);
    } finally {
      await server.close();
    }
  });

  test('a deleted file fails the check before a load, and repair fetches that file alone', async ({
    page,
    servers,
  }) => {
    const server = await serveModel(model);
    try {
      await openStorageHarness(page, servers.harness.url);
      const url = `${server.url}/${model.manifestPath}`;
      expect((await call(page, 'install', url, options)).ok).toBe(true);
      await call(page, 'deleteFile', opfsPath(CONFIG));

      const check = await call(page, 'checkModel', MODEL_ID, MODEL_VERSION);
      expect(check).toMatchObject({
        ok: false,
        code: 'model-damaged',
        details: { files: [{ path: CONFIG, reason: 'missing', storedSize: null }] },
      });

      server.resetStats();
      const repaired = await call(page, 'repair', MODEL_ID, MODEL_VERSION, options);
      expect(repaired).toMatchObject({
        ok: true,
        value: { damaged: [{ path: CONFIG, reason: 'missing', badChunks: [0] }] },
      });
      await server.idle();
      expect(fetchedRanges(server)).toEqual([chunkRange(CONFIG, 0)]);
      await expectIntactAndInstalled(page);
    } finally {
      await server.close();
    }
  });
});
