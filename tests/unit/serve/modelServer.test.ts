// Integration tests for the model server over real HTTP on 127.0.0.1: bodies,
// ranges, validators, conditional requests, CORS, path safety and byte counters.

import { symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer, type ModelServer } from '../../../tools/serve/modelServer';
import { bytes, expectSameBytes, type Fixture, makeFixture, rawRequest } from './helpers';

let fx: Fixture;
let server: ModelServer;
const SIZE = 100_000;
const model = () => fx.files['m/1.0.0/model.onnx'] as Buffer;
const url = (path: string) => `${server.url}/${path}`;
const body = async (res: Response) => Buffer.from(await res.arrayBuffer());

beforeAll(async () => {
  fx = await makeFixture({
    'm/1.0.0/model.onnx': bytes(SIZE),
    'm/1.0.0/manifest.json': '{"schema":1}',
    'm/1.0.0/weights.bin': bytes(10),
    'm/1.0.0/empty.txt': '',
    'space name.bin': bytes(3),
    'changing.bin': bytes(50),
  });
  await symlink(join(fx.base, 'secret.txt'), join(fx.root, 'escape.txt'));
  server = await createModelServer({ root: fx.root });
});
afterAll(async () => {
  await server.close();
  await fx.cleanup();
});

describe('whole files', () => {
  it('GET sends the file with validators, CORS and CORP headers', async () => {
    const res = await fetch(url('m/1.0.0/model.onnx'));
    expect(res.status).toBe(200);
    expectSameBytes(await body(res), model());
    const h = res.headers;
    expect(h.get('content-length')).toBe(String(SIZE));
    expect(h.get('content-type')).toBe('application/octet-stream');
    expect(h.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(Date.parse(h.get('last-modified') ?? '')).toBeGreaterThan(0);
    expect(h.get('accept-ranges')).toBe('bytes');
    expect(h.get('cache-control')).toBe('no-cache');
    expect(h.get('access-control-allow-origin')).toBe('*');
    const exposed = (h.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const name of [
      'content-length',
      'content-range',
      'etag',
      'accept-ranges',
      'last-modified',
    ]) {
      expect(exposed).toContain(name);
    }
    expect(h.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it.each([
    ['m/1.0.0/manifest.json', 'application/json; charset=utf-8'],
    ['m/1.0.0/weights.bin', 'application/octet-stream'],
    ['m/1.0.0/empty.txt', 'text/plain; charset=utf-8'],
    ['space%20name.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (path, type) => {
    const res = await fetch(url(path));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    const file = fx.files[decodeURIComponent(path)] as Buffer;
    expectSameBytes(await body(res), file);
    expect(res.headers.get('content-length')).toBe(String(file.length));
  });

  it('HEAD sends the headers only', async () => {
    const res = await fetch(url('m/1.0.0/model.onnx'), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(SIZE));
    expect(res.headers.get('etag')).toBeTruthy();
    expect((await body(res)).length).toBe(0);
  });
});

describe('ranges', () => {
  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, SIZE - 1],
    ['bytes=-10', SIZE - 10, SIZE - 1],
    ['bytes=500-1000000', 500, SIZE - 1],
    [`bytes=${SIZE - 1}-${SIZE - 1}`, SIZE - 1, SIZE - 1],
  ])('%s → 206 with bytes %i-%i', async (range, start, end) => {
    const res = await fetch(url('m/1.0.0/model.onnx'), { headers: { range } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(res.headers.get('content-length')).toBe(String(end - start + 1));
    expectSameBytes(await body(res), model().subarray(start, end + 1));
  });

  it.each(['bytes=5-1', 'bytes=0-1,5-6', 'items=0-1', 'bytes=x-'])(
    'ignores %s and sends the whole file',
    async (range) => {
      const res = await fetch(url('m/1.0.0/model.onnx'), { headers: { range } });
      expect(res.status).toBe(200);
      expect((await body(res)).length).toBe(SIZE);
    },
  );

  it.each([
    ['m/1.0.0/model.onnx', `bytes=${SIZE}-`, SIZE],
    ['m/1.0.0/model.onnx', 'bytes=-0', SIZE],
    ['m/1.0.0/empty.txt', 'bytes=0-', 0],
  ])('%s with %s → 416 naming the size', async (path, range, size) => {
    const res = await fetch(url(path), { headers: { range } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
    expect((await body(res)).length).toBe(0);
  });

  it('HEAD honours a Range as GET would', async () => {
    const res = await fetch(url('m/1.0.0/model.onnx'), {
      method: 'HEAD',
      headers: { range: 'bytes=0-9' },
    });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-9/${SIZE}`);
  });
});

describe('validators and conditional requests', () => {
  const path = 'm/1.0.0/model.onnx';
  const head = async (p = path) => (await fetch(url(p), { method: 'HEAD' })).headers;

  it('If-Range with the current ETag → 206; with another, or a weak one → whole 200', async () => {
    const etag = (await head()).get('etag') as string;
    const cases: Array<[string, number]> = [
      [etag, 206],
      ['"0-0"', 200],
      [`W/${etag}`, 200],
      ['not a validator', 200],
    ];
    for (const [ifRange, status] of cases) {
      const res = await fetch(url(path), { headers: { range: 'bytes=0-9', 'if-range': ifRange } });
      expect(res.status, ifRange).toBe(status);
      expect((await body(res)).length).toBe(status === 206 ? 10 : SIZE);
    }
  });

  it('If-Range with a date: matches Last-Modified only once it is a second old', async () => {
    const file = join(fx.root, path);
    await utimes(file, new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));
    const lastModified = (await head()).get('last-modified') as string;
    expect(lastModified).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    const range = { range: 'bytes=0-9' };
    const match = await fetch(url(path), { headers: { ...range, 'if-range': lastModified } });
    expect(match.status).toBe(206);
    await match.arrayBuffer();
    const older = 'Mon, 01 Jan 2024 00:00:00 GMT';
    const mismatch = await fetch(url(path), { headers: { ...range, 'if-range': older } });
    expect(mismatch.status).toBe(200);
    await mismatch.arrayBuffer();
    // A file modified just now could change again within the same second: its date is weak.
    await utimes(file, new Date(), new Date());
    const fresh = (await head()).get('last-modified') as string;
    const weak = await fetch(url(path), { headers: { ...range, 'if-range': fresh } });
    expect(weak.status).toBe(200);
    await weak.arrayBuffer();
  });

  it('If-None-Match and If-Modified-Since → 304 when unchanged', async () => {
    const h = await head();
    const etag = h.get('etag') as string;
    for (const inm of [etag, `W/${etag}`, `"x", ${etag}`, '*']) {
      const res = await fetch(url(path), { headers: { 'if-none-match': inm } });
      expect(res.status, inm).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
    }
    const other = await fetch(url(path), { headers: { 'if-none-match': '"other"' } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    const since = h.get('last-modified') as string;
    const ims = await fetch(url(path), { headers: { 'if-modified-since': since } });
    expect(ims.status).toBe(304);
  });

  it('the ETag changes when the file changes, even at the same size', async () => {
    const file = join(fx.root, 'changing.bin');
    const before = (await head('changing.bin')).get('etag');
    await writeFile(file, bytes(50));
    await utimes(file, new Date(), new Date(Date.now() + 5000)); // clear of coarse timestamps
    const sameSize = (await head('changing.bin')).get('etag');
    await writeFile(file, bytes(60));
    const bigger = (await head('changing.bin')).get('etag');
    expect(new Set([before, sameSize, bigger]).size).toBe(3);
    const res = await fetch(url('changing.bin'), {
      headers: { range: 'bytes=0-', 'if-range': before as string },
    });
    expect(res.status).toBe(200);
    expect((await body(res)).length).toBe(60);
  });
});

describe('CORS, methods and path safety', () => {
  it('answers a preflight for ranged, conditional GET/HEAD', async () => {
    const res = await fetch(url('m/1.0.0/model.onnx'), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'range, if-range',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const methods = res.headers.get('access-control-allow-methods') ?? '';
    expect(methods).toContain('GET');
    expect(methods).toContain('HEAD');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const name of ['range', 'if-range', 'if-none-match']) expect(allowed).toContain(name);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s → 405', async (method) => {
    const res = await fetch(url('m/1.0.0/model.onnx'), { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each([
    ['/../secret.txt', 400],
    ['/m/../../secret.txt', 400],
    ['/%2e%2e/secret.txt', 400],
    ['/m/..%2f..%2fsecret.txt', 400],
    ['/..%5csecret.txt', 400],
    ['/m/1.0.0/model.onnx%00.txt', 400],
    ['/%E0%A4%A', 400],
    ['/escape.txt', 404], // a symlink out of the root
    ['/', 404],
    ['/m', 404],
    ['/m/1.0.0/', 404],
    ['/missing.bin', 404],
  ])('%s → %i', async (path, status) => {
    const res = await rawRequest(server.url, path);
    expect(res.status).toBe(status);
    expect(res.body.toString()).not.toContain('outside the root');
  });
});

describe('byte counters', () => {
  it('count the body bytes of each response, per path and in the log', async () => {
    server.resetStats();
    await (await fetch(url('m/1.0.0/model.onnx'))).arrayBuffer();
    const ranged = await fetch(url('m/1.0.0/model.onnx'), { headers: { range: 'bytes=-1000' } });
    await ranged.arrayBuffer();
    await (await fetch(url('m/1.0.0/model.onnx'), { method: 'HEAD' })).arrayBuffer();
    await (await fetch(url('m/1.0.0/weights.bin'))).arrayBuffer();
    await (await fetch(url('nope'))).arrayBuffer();
    await server.idle();

    const { stats } = server;
    expect(stats.requests).toBe(5);
    expect(stats.bytesSent).toBe(SIZE + 1000 + 10);
    expect(stats.byPath.get('/m/1.0.0/model.onnx')).toEqual({ requests: 3, bytes: SIZE + 1000 });
    expect(stats.byPath.get('/m/1.0.0/weights.bin')).toEqual({ requests: 1, bytes: 10 });
    expect(
      stats.log.map(({ method, status, bytes, range }) => [method, status, bytes, range]),
    ).toEqual([
      ['GET', 200, SIZE, null],
      ['GET', 206, 1000, 'bytes=-1000'],
      ['HEAD', 200, 0, null],
      ['GET', 200, 10, null],
      ['GET', 404, 0, null],
    ]);

    server.resetStats();
    expect(stats).toEqual({ requests: 0, bytesSent: 0, byPath: new Map(), log: [] });
  });
});

describe('lifecycle', () => {
  it('listens on the requested host and stops on close', async () => {
    const other = await createModelServer({ root: fx.root, host: '127.0.0.1', port: 0 });
    expect(other.url).toBe(`http://127.0.0.1:${other.port}`);
    expect((await fetch(`${other.url}/m/1.0.0/weights.bin`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${other.url}/m/1.0.0/weights.bin`)).rejects.toThrow();
  });

  it('is idle again after a client left while a plugin was still deciding', async () => {
    let entered: () => void = () => {};
    const inPlugin = new Promise<void>((r) => (entered = r));
    const other = await createModelServer({
      root: fx.root,
      plugins: [
        {
          name: 'slow',
          async onRequest() {
            entered();
            await new Promise((r) => setTimeout(r, 200));
            return undefined;
          },
        },
      ],
    });
    const controller = new AbortController();
    const got = fetch(`${other.url}/m/1.0.0/weights.bin`, { signal: controller.signal });
    await inPlugin;
    controller.abort();
    await expect(got).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 400));
    let idle = false;
    void other.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(idle).toBe(true);
    await other.close();
  });
});
