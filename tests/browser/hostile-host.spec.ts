// Hostile model hosts cannot hurt the app: an endless manifest body is cut at
// its cap with a typed error, a host trickling one byte at a time is ended and
// retried within the throughput window, and a 206 longer than its
// Content-Range never writes past its chunk. Real Chromium, real model server.

import { JSON_LIMITS } from '../../src/core/boundedJson';
import { endlessJson, overlongRange, trickle } from '../../tools/serve/hostile';
import { expect, test } from '../support/fixtures';
import {
  CHUNK,
  call,
  FAST_OPTIONS,
  makeTestModel,
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

/** The Range header the engine sends for chunk `n` of a file of whole 64 KiB chunks. */
const chunkRange = (n: number) => `bytes=${n * CHUNK}-${(n + 1) * CHUNK - 1}`;

async function idleWithin(server: { idle(): Promise<void> }, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), ms);
  });
  const result = await Promise.race([server.idle().then(() => true), late]);
  clearTimeout(timer);
  return result;
}

test('an endless manifest body is cut at its cap with a typed error, and the connection closes', async ({
  page,
  servers,
}) => {
  const endless = endlessJson({ path: '/manifest.json' });
  const server = await serveModel(model, [endless]);
  try {
    await openHarness(page, servers.harness.url);
    const url = `${server.url}/${model.manifestPath}`;
    // A stall timeout the busy machine cannot hit while bytes pour in: one request, no retry.
    const result = await call(page, 'run', url, { ...FAST_OPTIONS, stallTimeoutMs: 10_000 });
    expect(result).toMatchObject({
      ok: false,
      code: 'invalid-manifest',
      details: { reason: 'too-large', limit: JSON_LIMITS.manifest, what: 'manifest' },
    });
    // The body read stopped: the server saw the connection close, after about the cap.
    expect(await idleWithin(server, 10_000)).toBe(true);
    expect(endless.responses).toHaveLength(1);
    expect(endless.responses[0]?.closedAt).not.toBeNull();
    const sent = server.stats.log.find((e) => e.path.endsWith('/manifest.json'))?.bytes ?? 0;
    expect(sent).toBeGreaterThan(JSON_LIMITS.manifest);
    // The cap plus what the sockets and Chromium's network buffers had taken in.
    expect(sent).toBeLessThan(JSON_LIMITS.manifest + 32 * 1024 * 1024);
    // Not retried: a body past the cap is no network accident.
    expect(server.stats.byPath.get(`/${model.manifestPath}`)?.requests).toBe(1);
    expect(await call(page, 'isInstalled', 'gen-model', '1.0.0')).toBe(false);
  } finally {
    await server.close();
  }
});

test('a host trickling one byte every 300 ms is ended and retried within the throughput window', async ({
  page,
  servers,
}) => {
  const range = chunkRange(2);
  const slow = trickle({ path: '/weights/a.bin', range, times: 1 }, 300);
  const server = await serveModel(model, [slow]);
  const windowMs = 1500;
  try {
    await openHarness(page, servers.harness.url);
    const url = `${server.url}/${model.manifestPath}`;
    const result = await call(page, 'run', url, {
      ...FAST_OPTIONS,
      // Silence alone would never end it: a byte comes far more often than this.
      stallTimeoutMs: 5000,
      slowWindowMs: windowMs,
      minBytesPerSecond: 1024,
    });
    expect(result).toMatchObject({ ok: true, bytes: model.totalBytes });
    expect(await storedMismatches(page, model)).toEqual([]);
    const [trickled] = slow.responses;
    expect(trickled?.closedAt).not.toBeNull();
    const heldMs = (trickled?.closedAt ?? 0) - (trickled?.startedAt ?? 0);
    // Judged at the first byte after one window: within the window plus a byte or two.
    expect(heldMs).toBeGreaterThanOrEqual(windowMs);
    expect(heldMs).toBeLessThan(windowMs + 1000);
    const requests = server.stats.log.filter(
      (e) => e.path.endsWith('/weights/a.bin') && e.range === range,
    );
    expect(requests).toHaveLength(2);
    const trouble = await call(page, 'troubleSeen');
    expect(trouble.map((t) => t.reason)).toContain('too-slow');
    expect(trouble.map((t) => t.reason)).not.toContain('stalled');
    expect(trouble.find((t) => t.reason === 'too-slow')?.message).toMatch(/too slow/);
  } finally {
    await server.close();
  }
});

test('a 206 body longer than its Content-Range is cut at the chunk and retried; the next chunk stays intact', async ({
  page,
  servers,
}) => {
  const range = chunkRange(3);
  // Held back 500 ms so that chunk 4 is stored and journaled first: a byte written
  // past chunk 3 would land on it, and the read-back hash would catch it.
  const overlong = overlongRange({ path: '/weights/a.bin', range, times: 1 }, 32 * 1024, 500);
  const server = await serveModel(model, [overlong]);
  try {
    await openHarness(page, servers.harness.url);
    const url = `${server.url}/${model.manifestPath}`;
    const result = await call(page, 'run', url, {
      ...FAST_OPTIONS,
      // Longer than the held-back headers, which are no stall.
      stallTimeoutMs: 3000,
      backend: 'opfs-sync',
    });
    expect(result).toMatchObject({ ok: true, bytes: model.totalBytes, backend: 'opfs-sync' });
    // Every stored byte matches the manifest: nothing landed past chunk 3.
    expect(await storedMismatches(page, model)).toEqual([]);
    const ofA = server.stats.log.filter((e) => e.path.endsWith('/weights/a.bin'));
    const requests = ofA.filter((e) => e.range === range);
    expect(requests).toHaveLength(2);
    const chunk4 = ofA.filter((e) => e.range === chunkRange(4));
    expect(chunk4).toHaveLength(1);
    const trouble = await call(page, 'troubleSeen');
    expect(trouble.map((t) => t.reason)).toContain('overlong-body');
    expect(await call(page, 'journals', 'gen-model@1.0.0')).toEqual([]);
  } finally {
    await server.close();
  }
});
