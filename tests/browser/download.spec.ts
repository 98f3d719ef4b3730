// The download engine in real Chromium against a real model server, run
// against each storage backend: chunked parallel Range requests, verified
// installs, pause / resume / cancel, a killed worker, a file changed on the server.

import type { StoreKind } from '../../src/storage/db';
import { throttle } from '../../tools/serve/throttle';
import { expect, test } from '../support/fixtures';
import {
  CHUNK,
  call,
  FAST_OPTIONS,
  faultOnChunk,
  MODEL_ID,
  MODEL_VERSION,
  makeTestModel,
  modelBytesSent,
  openHarness,
  restoreModel,
  serveModel,
  storedMismatches,
  type TestModel,
} from './download-fixture';

const BACKENDS: StoreKind[] = ['opfs-sync', 'opfs-writable', 'idb'];

let model: TestModel;
test.beforeAll(async () => {
  model = await makeTestModel();
});
test.afterAll(async () => {
  await model.close();
});

for (const backend of BACKENDS) {
  test.describe(`storage backend ${backend}`, () => {
    // These tests count bytes; a stall retry on a busy machine (400 ms of silence)
    // would re-fetch a chunk they did not plan. Stalls are tested in faults.spec.ts
    // and hostile-host.spec.ts.
    const options = { ...FAST_OPTIONS, stallTimeoutMs: 10_000, connections: 4, backend };

    test('downloads every file in parallel Range chunks and installs it with every byte verified', async ({
      page,
      servers,
    }) => {
      const server = await serveModel(model);
      try {
        await openHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        const result = await call(page, 'run', url, options);
        expect(result).toEqual({ ok: true, bytes: model.totalBytes, backend });
        expect(await storedMismatches(page, model)).toEqual([]);
        await server.idle();
        // Every byte fetched once, in Range requests of one chunk each.
        expect(modelBytesSent(server)).toBe(model.totalBytes);
        const ranged = server.stats.log.filter(
          (e) => e.method === 'GET' && e.path.endsWith('.bin'),
        );
        expect(ranged.every((e) => e.range !== null && e.status === 206)).toBe(true);
        const sizes = new Map(model.manifest.files.map((f) => [f.path, f.size]));
        const onChunkEdges = ranged.every((e) => {
          const [start, end] = (e.range?.slice('bytes='.length).split('-') ?? []).map(Number);
          const size = sizes.get(e.path.split(`/${MODEL_VERSION}/`)[1] ?? '') ?? -1;
          return (
            start !== undefined &&
            end !== undefined &&
            start % CHUNK === 0 &&
            ((end + 1) % CHUNK === 0 || end + 1 === size)
          );
        });
        expect(onChunkEdges).toBe(true);
        expect(Math.max(...ranged.map((e) => e.bytes))).toBeLessThanOrEqual(CHUNK);
        expect(await call(page, 'journals', `${MODEL_ID}@${MODEL_VERSION}`)).toEqual([]);
        expect(await call(page, 'downloadRecords')).toEqual([]);
        // Installed once: a second request fetches nothing.
        server.resetStats();
        expect((await call(page, 'run', url, options)).ok).toBe(true);
        expect(modelBytesSent(server)).toBe(0);
      } finally {
        await server.close();
      }
    });

    test('pausing keeps verified chunks, and resuming fetches only the chunks not in the journal', async ({
      page,
      servers,
    }) => {
      const server = await serveModel(model, [throttle(256 * 1024)]);
      try {
        await openHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        await call(page, 'start', url, options);
        await expect.poll(() => modelBytesSent(server)).toBeGreaterThan(model.totalBytes / 3);
        await call(page, 'pause', url);
        const paused = await call(page, 'wait', url);
        expect(paused).toMatchObject({
          ok: false,
          code: 'cancelled',
          details: { reason: 'paused' },
        });
        expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);
        const journals = await call(page, 'journals', `${MODEL_ID}@${MODEL_VERSION}`);
        const verified = journals.reduce((n, j) => n + j.done.length, 0);
        expect(verified).toBeGreaterThan(0);
        await server.idle();
        const before = modelBytesSent(server);

        server.setPlugins([]);
        const resumed = await call(page, 'run', url, options);
        expect(resumed.ok).toBe(true);
        expect(await storedMismatches(page, model)).toEqual([]);
        await server.idle();
        // Re-fetched bytes: at most the chunks that were in flight at the pause.
        const refetched = modelBytesSent(server) - model.totalBytes;
        expect(refetched).toBeLessThanOrEqual(options.connections * CHUNK);
        expect(before).toBeGreaterThan(0);
      } finally {
        await server.close();
      }
    });

    test('cancelling deletes the partial files and journal, and nothing looks installed', async ({
      page,
      servers,
    }) => {
      const server = await serveModel(model, [throttle(256 * 1024)]);
      try {
        await openHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        await call(page, 'start', url, options);
        await expect.poll(() => modelBytesSent(server)).toBeGreaterThan(model.totalBytes / 4);
        await call(page, 'cancel', url);
        expect(await call(page, 'wait', url)).toMatchObject({ ok: false, code: 'cancelled' });
        expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);
        expect(await call(page, 'journals', `${MODEL_ID}@${MODEL_VERSION}`)).toEqual([]);
        expect(await call(page, 'downloadRecords')).toEqual([]);
        expect(await call(page, 'opfsModelBytes')).toBe(0);
        const hashes = await call(page, 'storedHashes', MODEL_ID, MODEL_VERSION, model.paths);
        expect(Object.values(hashes).every((h) => h.startsWith('missing'))).toBe(true);
      } finally {
        await server.close();
      }
    });

    test('killing the worker at random points re-fetches at most one chunk per connection per interruption', async ({
      page,
      servers,
    }) => {
      const server = await serveModel(model, [throttle(192 * 1024)]);
      const seed = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
      console.log(`kill test (${backend}): KILL_SEED=${seed}`);
      let state = seed;
      const random = () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state / 2147483648;
      };
      try {
        await openHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        const interruptions = 3;
        for (let i = 0; i < interruptions; i++) {
          const target = ((i + random()) / (interruptions + 1)) * model.totalBytes;
          await call(page, 'start', url, options);
          await expect
            .poll(() => modelBytesSent(server), { timeout: 60_000 })
            .toBeGreaterThan(target);
          await call(page, 'kill');
          expect(await call(page, 'wait', url)).toMatchObject({ ok: false, code: 'cancelled' });
          await server.idle();
        }
        server.setPlugins([]);
        expect((await call(page, 'run', url, options)).ok).toBe(true);
        expect(await storedMismatches(page, model)).toEqual([]);
        await server.idle();
        const refetched = modelBytesSent(server) - model.totalBytes;
        expect(refetched).toBeLessThanOrEqual(interruptions * options.connections * CHUNK);
      } finally {
        await server.close();
      }
    });

    test('whole-file verification: hashed in a worker of its own; a flipped byte fails the file hash and that file alone is fetched again by itself', async ({
      page,
      servers,
    }) => {
      // One byte of a.bin's 3rd chunk is flipped on the way, once.
      const faults = faultOnChunk('a.bin', 2, { kind: 'flip-byte', at: 17 });
      const server = await serveModel(model, [faults]);
      // Chunks of the manifest's size, so they arrive out of order over the connections.
      const wholeFile = { ...options, verification: 'whole-file' as const, chunkSize: CHUNK };
      const started: string[] = [];
      page.on('worker', (w) => started.push(w.url()));
      try {
        await openHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        const first = await call(page, 'run', url, wholeFile);
        const a = model.manifest.files.find((f) => f.path.endsWith('a.bin'));
        expect(first.ok).toBe(true);
        expect(faults.log.map((e) => e.outcome)).toEqual(['applied']);
        // The hashing ran in the download worker's own hash worker.
        expect(started.filter((u) => u.includes('hash.worker'))).not.toEqual([]);
        expect(await storedMismatches(page, model)).toEqual([]);
        // Only the bad file was fetched again, whole (its restart after the mismatch).
        await server.idle();
        expect(modelBytesSent(server)).toBeGreaterThanOrEqual(model.totalBytes + (a?.size ?? 0));
      } finally {
        await server.close();
      }
    });

    test('a file changed on the server mid-download is never stitched: the partial is discarded and the download restarts', async ({
      page,
      servers,
    }) => {
      // The request for a.bin's 11th chunk changes the file, after earlier chunks were journaled.
      const faults = faultOnChunk('a.bin', 10, { kind: 'change-file' });
      const server = await serveModel(model, [throttle(512 * 1024), faults]);
      try {
        await openHarness(page, servers.harness.url);
        const url = `${server.url}/${model.manifestPath}`;
        const first = await call(page, 'run', url, options);
        expect(first).toMatchObject({ ok: false, code: 'server-changed' });
        expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);
        await restoreModel(model);
        server.setPlugins([]);
        const second = await call(page, 'run', url, options);
        expect(second.ok).toBe(true);
        expect(await storedMismatches(page, model)).toEqual([]);
      } finally {
        await restoreModel(model);
        await server.close();
      }
    });
  });
}

test('reports the storage backend it would use (sync access handles in this Chromium)', async ({
  page,
  servers,
}) => {
  await openHarness(page, servers.harness.url);
  expect(await call(page, 'backend')).toBe('opfs-sync');
});
