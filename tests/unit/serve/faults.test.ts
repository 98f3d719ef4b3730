// Proves each injected fault does exactly what it says over real HTTP: the
// bytes that arrive, status and headers, a file that really changes, plans
// that are reproducible, and plugins swapped between requests.

import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../tools/mulberry32';
import {
  type Fault,
  type FaultRequest,
  faultInjection,
  scriptedFaults,
  seededFaults,
} from '../../../tools/serve/faults';
import { createModelServer, type ModelServer } from '../../../tools/serve/modelServer';
import { throttle } from '../../../tools/serve/throttle';
import { bytes, expectSameBytes, type Fixture, makeFixture } from './helpers';

const SIZE = 256 * 1024;
let fx: Fixture;
let server: ModelServer;
const original = () => fx.files['m/model.bin'] as Buffer;

beforeAll(async () => {
  fx = await makeFixture({
    'm/model.bin': bytes(SIZE),
    'm/other.bin': bytes(1000),
    'm/changing.bin': bytes(SIZE),
  });
  server = await createModelServer({ root: fx.root });
});
afterEach(() => server.setPlugins([]));
afterAll(async () => {
  await server.close();
  await fx.cleanup();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Whether the whole promised body arrived and the message ended normally. */
  complete: boolean;
  /** When the first and the last body byte arrived, ms after the request. */
  firstByteMs: number;
  lastByteMs: number;
}

/** GET through node:http, which reports a short body instead of hiding it. */
function get(
  path: string,
  headers: Record<string, string> = {},
  opts: { abortAfterMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(server.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, headers, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        let firstByteMs = -1;
        let lastByteMs = -1;
        res.on('data', (chunk: Buffer) => {
          lastByteMs = performance.now() - started;
          if (firstByteMs < 0) firstByteMs = lastByteMs;
          parts.push(chunk);
        });
        res.on('error', () => {}); // a cut connection: 'close' reports it through `complete`
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
            complete: res.complete,
            firstByteMs,
            lastByteMs,
          }),
        );
        if (opts.abortAfterMs !== undefined) setTimeout(() => req.destroy(), opts.abortAfterMs);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function inject(rules: Parameters<typeof scriptedFaults>[0]) {
  const plugin = faultInjection(scriptedFaults(rules));
  server.setPlugins([plugin]);
  return plugin;
}

describe('body faults', () => {
  it('drop: the client gets exactly N bytes, then the connection is cut', async () => {
    inject([{ fault: { kind: 'drop', afterBytes: 100_000 } }]);
    server.resetStats();
    const res = await get('/m/model.bin');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.complete).toBe(false);
    expectSameBytes(res.body, original().subarray(0, 100_000));
    await server.idle();
    expect(server.stats.bytesSent).toBe(100_000);
  });

  it('drop after 0 bytes: the headers arrive, no body byte does', async () => {
    inject([{ fault: { kind: 'drop', afterBytes: 0 } }]);
    const res = await get('/m/model.bin', { range: 'bytes=1000-1999' });
    expect(res.status).toBe(206);
    expect(res.complete).toBe(false);
    expect(res.body.length).toBe(0);
  });

  it('drop counts from the start of a ranged body', async () => {
    inject([{ fault: { kind: 'drop', afterBytes: 10 } }]);
    const res = await get('/m/model.bin', { range: 'bytes=5000-9999' });
    expect(res.status).toBe(206);
    expect(res.complete).toBe(false);
    expectSameBytes(res.body, original().subarray(5000, 5010));
  });

  it('truncate: the body ends after N bytes though Content-Length promised more', async () => {
    inject([{ fault: { kind: 'truncate', afterBytes: 4321 } }]);
    server.resetStats();
    const res = await get('/m/model.bin', { range: 'bytes=0-99999' });
    expect(res.status).toBe(206);
    expect(res.headers['content-length']).toBe('100000');
    expect(res.complete).toBe(false);
    expectSameBytes(res.body, original().subarray(0, 4321));
    await server.idle();
    expect(server.stats.log[0]).toMatchObject({ status: 206, bytes: 4321 });
  });

  it('stall for a time: bytes before the stall come at once, the rest after the pause, intact', async () => {
    inject([{ fault: { kind: 'stall', afterBytes: 1000, ms: 700 } }]);
    const res = await get('/m/model.bin');
    expect(res.complete).toBe(true);
    expectSameBytes(res.body, original());
    expect(res.lastByteMs - res.firstByteMs).toBeGreaterThanOrEqual(600);
  });

  it('stall for ever: nothing more arrives until the client gives up, and the server lets go', async () => {
    inject([{ fault: { kind: 'stall', afterBytes: 2048, ms: Number.POSITIVE_INFINITY } }]);
    server.resetStats();
    const res = await get('/m/model.bin', {}, { abortAfterMs: 800 });
    expect(res.status).toBe(200);
    expect(res.complete).toBe(false);
    expectSameBytes(res.body, original().subarray(0, 2048));
    await server.idle(); // would hang if the stalled body held the response
    expect(server.stats.bytesSent).toBe(2048);
  });

  it('stall before any body byte still sends the status and headers', async () => {
    inject([{ fault: { kind: 'stall', afterBytes: 0, ms: Number.POSITIVE_INFINITY } }]);
    const res = await get('/m/model.bin', { range: 'bytes=0-9' }, { abortAfterMs: 500 });
    expect(res.status).toBe(206);
    expect(res.body.length).toBe(0);
  });

  it.each([
    ['inside the body', 777, 777],
    ['past its end (clamped to the last byte)', 10_000_000, 999],
    ['before its start (clamped to the first byte)', -5, 0],
  ])('flip-byte %s changes exactly one byte', async (_name, at, flipped) => {
    inject([{ fault: { kind: 'flip-byte', at } }]);
    const res = await get('/m/model.bin', { range: 'bytes=2000-2999' });
    expect(res.status).toBe(206);
    expect(res.complete).toBe(true);
    const expected = Buffer.from(original().subarray(2000, 3000));
    const diffs = [...res.body.keys()].filter((i) => res.body[i] !== expected[i]);
    expect(diffs).toEqual([flipped]);
    expect(res.body[flipped]).toBe((expected[flipped] as number) ^ 0xff);
  });
});

describe('header faults', () => {
  it.each([
    [500, undefined],
    [503, 2],
    [429, 0],
  ] as const)('status %i (Retry-After %s) answers in place of the file', async (status, retry) => {
    inject([{ fault: { kind: 'status', status, retryAfterSeconds: retry } }]);
    const res = await get('/m/model.bin', { range: 'bytes=0-9' });
    expect(res.status).toBe(status);
    expect(res.headers['retry-after']).toBe(retry === undefined ? undefined : String(retry));
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.body.toString()).toBe(`injected ${status}`);
  });

  it('ignore-range answers a Range request with 200 and the whole body', async () => {
    inject([{ fault: { kind: 'ignore-range' } }]);
    const res = await get('/m/model.bin', { range: 'bytes=100-199' });
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(SIZE));
    expectSameBytes(res.body, original());
  });

  it.each([
    ['in the middle', 'bytes=100-199', 'bytes 101-200/262144', [100, 200]],
    ['at the end', `bytes=${SIZE - 100}-`, `bytes ${SIZE - 101}-${SIZE - 2}/${SIZE}`, [SIZE - 100]],
    ['of the whole file', undefined, `bytes 1-${SIZE}/${SIZE + 1}`, [0]],
  ])(
    'wrong-content-range %s: a 206 labelled with other bytes than those sent',
    async (_n, range, label, [from, to]) => {
      inject([{ fault: { kind: 'wrong-content-range' } }]);
      const res = await get('/m/model.bin', range ? { range } : {});
      expect(res.status).toBe(206);
      expect(res.headers['content-range']).toBe(label);
      expect(res.complete).toBe(true);
      expectSameBytes(res.body, original().subarray(from, to));
      expect(res.headers['content-length']).toBe(String(res.body.length));
    },
  );
});

describe('change-file', () => {
  it('rewrites the file: same size, every byte different, new ETag and Last-Modified; If-Range with the old ETag gets 200', async () => {
    const path = join(fx.root, 'm/changing.bin');
    const before = await get('/m/changing.bin', { range: 'bytes=0-99' });
    const oldTag = before.headers.etag as string;
    const oldDate = before.headers['last-modified'] as string;
    const oldBytes = await readFile(path);

    const plugin = inject([{ path: '/m/changing.bin', fault: { kind: 'change-file' } }]);
    const changed = await get('/m/changing.bin', { range: 'bytes=0-99' });
    expect(changed.status).toBe(206);
    expect(changed.headers.etag).not.toBe(oldTag);
    expect(changed.headers['last-modified']).not.toBe(oldDate);
    const onDisk = await readFile(path);
    expect(onDisk.length).toBe(oldBytes.length);
    expect(onDisk.findIndex((b, i) => b === oldBytes[i])).toBe(-1);
    expectSameBytes(changed.body, onDisk.subarray(0, 100));

    const stale = await get('/m/changing.bin', { range: 'bytes=0-99', 'if-range': oldTag });
    expect(stale.status).toBe(200);
    expectSameBytes(stale.body, onDisk);
    const fresh = await get('/m/changing.bin', {
      range: 'bytes=0-99',
      'if-range': changed.headers.etag as string,
    });
    expect(fresh.status).toBe(206);

    await plugin.restoreFiles();
    expectSameBytes(await readFile(path), oldBytes);
    const restored = await get('/m/changing.bin', { range: 'bytes=0-99' });
    expect(restored.headers.etag).not.toBe(changed.headers.etag);
  });

  it('a response already streaming keeps the old version to its end', async () => {
    const path = join(fx.root, 'm/changing.bin');
    const oldBytes = await readFile(path);
    server.setPlugins([
      throttle(256 * 1024),
      faultInjection(scriptedFaults([{ path: '/m/changing.bin', fault: { kind: 'change-file' } }])),
    ]);
    // The first GET takes the rule; clear it so the slow one is served faithfully.
    await get('/m/changing.bin', { range: 'bytes=0-0' });
    const changedBytes = await readFile(path);
    const slow = get('/m/changing.bin');
    await new Promise((r) => setTimeout(r, 200));
    server.setPlugins([
      faultInjection(scriptedFaults([{ path: '/m/changing.bin', fault: { kind: 'change-file' } }])),
    ]);
    await get('/m/changing.bin', { range: 'bytes=0-0' });
    const res = await slow;
    expect(res.complete).toBe(true);
    expectSameBytes(res.body, changedBytes);
    expectSameBytes(await readFile(path), oldBytes);
  });
});

describe('scripted plans', () => {
  it('apply each rule to as many matching GETs as it says, then serve faithfully', async () => {
    const plugin = inject([
      { path: /other/, fault: { kind: 'status', status: 503 }, times: 2 },
      { path: '/m/model.bin', fault: { kind: 'status', status: 500 } },
    ]);
    const statuses: number[] = [];
    for (const path of [
      '/m/model.bin',
      '/m/other.bin',
      '/m/model.bin',
      '/m/other.bin',
      '/m/other.bin',
    ])
      statuses.push((await get(path)).status);
    expect(statuses).toEqual([500, 503, 200, 503, 200]);
    expect(plugin.injected.map((f) => [f.path, f.fault.kind])).toEqual([
      ['/m/model.bin', 'status'],
      ['/m/other.bin', 'status'],
      ['/m/other.bin', 'status'],
    ]);
  });

  it('leave CORS preflights alone unless a rule names their method', async () => {
    inject([{ fault: { kind: 'status', status: 500 } }]);
    const preflight = await fetch(`${server.url}/m/model.bin`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect((await get('/m/model.bin')).status).toBe(500);
  });
});

describe('seeded plans', () => {
  const requests = (n: number): FaultRequest[] =>
    Array.from({ length: n }, (_, i) => ({
      method: 'GET',
      path: `/m/file${i % 3}.bin`,
      range: `bytes=${(i % 40) * 1000}-${(i % 40) * 1000 + 999}`,
      index: i,
      size: 100_000,
    }));
  const decide = (seed: number, reqs: FaultRequest[], opts = { probability: 0.3 }) => {
    const plan = seededFaults(seed, opts);
    return reqs.map((r) => plan.next(r));
  };

  it('give the same faults for the same seed and requests, and other faults for another seed', () => {
    const reqs = requests(500);
    const a = decide(7, reqs);
    expect(decide(7, reqs)).toEqual(a);
    expect(decide(8, reqs)).not.toEqual(a);
    const rate = a.filter(Boolean).length / a.length;
    expect(rate).toBeGreaterThan(0.2);
    expect(rate).toBeLessThan(0.4);
    expect(new Set(a.filter(Boolean).map((f) => (f as Fault).kind)).size).toBe(8);
  });

  it('decide per request, so interleaving parallel requests differently changes nothing', () => {
    const reqs = requests(120); // 120 distinct (path, Range) pairs
    const order = reqs.map((_, i) => i).sort((x, y) => mulberry32(x)() - mulberry32(y)());
    const inOrder = decide(99, reqs);
    const shuffled = decide(
      99,
      order.map((i) => reqs[i] as FaultRequest),
    );
    expect(order.slice(0, 5)).not.toEqual([0, 1, 2, 3, 4]);
    expect(order.map((i) => shuffled[order.indexOf(i)])).toEqual(order.map((i) => inOrder[i]));
  });

  it('draw only the kinds asked for, offsets inside the body, and stop at maxFaults', () => {
    const plan = seededFaults(3, { probability: 1, kinds: ['drop', 'flip-byte'], maxFaults: 50 });
    const got = requests(80).map((r) => plan.next(r));
    expect(got.filter(Boolean)).toHaveLength(50);
    for (const fault of got.slice(0, 50)) {
      expect(['drop', 'flip-byte']).toContain(fault?.kind);
      const offset =
        fault?.kind === 'drop' ? fault.afterBytes : fault?.kind === 'flip-byte' ? fault.at : -1;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(1000);
    }
  });

  it('fault only GETs of the paths asked for', () => {
    const plan = seededFaults(1, { probability: 1, path: /file1/ });
    const base = requests(3);
    expect(base.map((r) => plan.next(r) !== null)).toEqual([false, true, false]);
    expect(plan.next({ ...(base[1] as FaultRequest), method: 'OPTIONS' })).toBeNull();
  });

  it('refuse a probability outside 0..1', () => {
    expect(() => seededFaults(1, { probability: 1.5 })).toThrow(RangeError);
  });

  it('drive the server reproducibly: two runs of the same seed see the same statuses and bytes', async () => {
    const run = async () => {
      const plugin = faultInjection(
        seededFaults(2024, { probability: 0.5, kinds: ['status', 'truncate', 'flip-byte'] }),
      );
      server.setPlugins([plugin]);
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await get('/m/model.bin', { range: `bytes=${i * 4096}-${i * 4096 + 4095}` });
        seen.push(`${res.status} ${res.body.length} ${res.body.subarray(0, 8).toString('hex')}`);
      }
      return { seen, faults: plugin.injected.map((f) => f.fault) };
    };
    const first = await run();
    expect(first.faults.length).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
  });

  it('mulberry32 matches the reference sequence', () => {
    const random = mulberry32(42);
    expect([random(), random(), random()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });
});

describe('setPlugins', () => {
  it('swaps behaviour between requests and numbers requests across swaps', async () => {
    const seen: number[] = [];
    const recorder = (fault: Fault | null) => ({
      next(r: FaultRequest) {
        seen.push(r.index);
        return fault;
      },
    });
    server.setPlugins([faultInjection(recorder({ kind: 'status', status: 503 }))]);
    expect((await get('/m/other.bin')).status).toBe(503);
    server.setPlugins([faultInjection(recorder(null))]);
    expect((await get('/m/other.bin')).status).toBe(200);
    server.setPlugins([]);
    expect((await get('/m/other.bin')).status).toBe(200);
    server.setPlugins([faultInjection(recorder({ kind: 'status', status: 429 }))]);
    expect((await get('/m/other.bin')).status).toBe(429);
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe((seen[0] as number) + 1);
    expect(seen[2]).toBe((seen[0] as number) + 3);
  });

  it('keeps a response in flight on the plugins it started with', async () => {
    server.setPlugins([
      faultInjection(scriptedFaults([{ fault: { kind: 'stall', afterBytes: 100, ms: 500 } }])),
    ]);
    const stalled = get('/m/model.bin');
    await new Promise((r) => setTimeout(r, 100));
    server.setPlugins([]);
    const res = await stalled;
    expect(res.complete).toBe(true);
    expect(res.lastByteMs - res.firstByteMs).toBeGreaterThanOrEqual(400);
  });
});

describe('the fault log', () => {
  it.each<[string, Fault, Record<string, string>, string, number]>([
    ['drop', { kind: 'drop', afterBytes: 3000 }, { range: 'bytes=0-9999' }, 'applied', 3000],
    ['truncate', { kind: 'truncate', afterBytes: 10 }, {}, 'applied', 10],
    ['truncate past the end', { kind: 'truncate', afterBytes: 2 * SIZE }, {}, 'no-effect', 0],
    ['drop at the end', { kind: 'drop', afterBytes: SIZE }, {}, 'no-effect', 0],
    ['stall (short)', { kind: 'stall', afterBytes: 5, ms: 20 }, {}, 'applied', 5],
    ['status', { kind: 'status', status: 503 }, {}, 'applied', 0],
    ['flip-byte', { kind: 'flip-byte', at: 70_000 }, {}, 'applied', 70_000],
    ['ignore-range', { kind: 'ignore-range' }, { range: 'bytes=0-99' }, 'applied', 0],
    ['ignore-range without a Range', { kind: 'ignore-range' }, {}, 'no-effect', 0],
    ['wrong-content-range', { kind: 'wrong-content-range' }, { range: 'bytes=0-99' }, 'applied', 0],
    ['flip-byte on a 304', { kind: 'flip-byte', at: 0 }, { 'if-none-match': '*' }, 'no-effect', 0],
  ])('writes %s as %s once the fault acted', async (_, fault, headers, outcome, atLeast) => {
    const plugin = inject([{ fault }]);
    await get('/m/model.bin', headers);
    await server.idle();
    expect(plugin.log).toHaveLength(1);
    const [entry] = plugin.log;
    expect(entry).toMatchObject({ path: '/m/model.bin', fault, outcome });
    expect(entry?.bytesSent).toBeGreaterThanOrEqual(atLeast);
  });

  it('says client-gone when the client closed the response before the fault point', async () => {
    server.setPlugins([]);
    const plugin = faultInjection(
      scriptedFaults([{ fault: { kind: 'drop', afterBytes: SIZE - 10 } }]),
    );
    server.setPlugins([throttle(64 * 1024), plugin]);
    await get('/m/model.bin', {}, { abortAfterMs: 150 });
    await expect.poll(() => plugin.log.length).toBe(1);
    expect(plugin.log[0]?.outcome).toBe('client-gone');
    expect(plugin.log[0]?.bytesSent).toBeLessThan(SIZE - 10);
  });
});
