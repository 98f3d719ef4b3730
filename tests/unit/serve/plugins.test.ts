// Tests for the model server's plugin hooks and the throttle plugin, over real HTTP.

import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLink } from '../../../tools/serve/link';
import { createModelServer, type ServerPlugin } from '../../../tools/serve/modelServer';
import { throttle } from '../../../tools/serve/throttle';
import { bytes, expectSameBytes, type Fixture, makeFixture } from './helpers';

let fx: Fixture;
const KIB = 1024;

beforeAll(async () => {
  fx = await makeFixture({ 'small.bin': bytes(64 * KIB), 'big.bin': bytes(512 * KIB) });
});
afterAll(() => fx.cleanup());

async function withServer<T>(plugins: ServerPlugin[], run: (base: string) => Promise<T>) {
  const server = await createModelServer({ root: fx.root, plugins });
  try {
    return { result: await run(server.url), server };
  } finally {
    await server.close();
  }
}

describe('sharedLink', () => {
  it('makes parallel responses share one rate: two 64 KiB bodies at 256 KiB/s take half a second', async () => {
    const { result } = await withServer([sharedLink(256 * KIB)], async (base) => {
      const started = performance.now();
      const bodies = await Promise.all(
        [0, 1].map(async () => Buffer.from(await (await fetch(`${base}/small.bin`)).arrayBuffer())),
      );
      return { bodies, seconds: (performance.now() - started) / 1000 };
    });
    for (const body of result.bodies) expectSameBytes(body, fx.files['small.bin']);
    // Each alone would take 0.25 s; sharing the link, both together need 0.5 s.
    expect(result.seconds).toBeGreaterThanOrEqual(0.4);
    expect(result.seconds).toBeLessThan(5);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => sharedLink(0)).toThrow(RangeError);
  });
});

describe('throttle', () => {
  it('paces a 64 KiB body at 128 KiB/s to about half a second, intact', async () => {
    const { result } = await withServer([throttle(128 * KIB)], async (base) => {
      const started = performance.now();
      const data = Buffer.from(await (await fetch(`${base}/small.bin`)).arrayBuffer());
      return { data, seconds: (performance.now() - started) / 1000 };
    });
    expectSameBytes(result.data, fx.files['small.bin']);
    expect(result.seconds).toBeGreaterThanOrEqual(0.3);
    expect(result.seconds).toBeLessThan(5);
  });

  it('paces ranged responses too', async () => {
    const { result } = await withServer([throttle(64 * KIB)], async (base) => {
      const started = performance.now();
      const res = await fetch(`${base}/big.bin`, { headers: { range: 'bytes=0-16383' } });
      const data = Buffer.from(await res.arrayBuffer());
      return { status: res.status, data, seconds: (performance.now() - started) / 1000 };
    });
    expect(result.status).toBe(206);
    expectSameBytes(result.data, fx.files['big.bin']?.subarray(0, 16 * KIB));
    expect(result.seconds).toBeGreaterThanOrEqual(0.15);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => throttle(0)).toThrow(RangeError);
    expect(() => throttle(Number.NaN)).toThrow(RangeError);
  });

  it('counts only what left before the client gave up', async () => {
    const server = await createModelServer({ root: fx.root, plugins: [throttle(256 * KIB)] });
    try {
      const abort = new AbortController();
      const res = await fetch(`${server.url}/big.bin`, { signal: abort.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let received = 0;
      while (received < 32 * KIB) received += (await reader.read()).value?.length ?? 0;
      abort.abort();
      await server.idle();
      const sent = server.stats.bytesSent;
      expect(sent).toBeGreaterThanOrEqual(received);
      expect(sent).toBeLessThan(512 * KIB);
      expect(server.stats.log[0]?.bytes).toBe(sent);
    } finally {
      await server.close();
    }
  });
});

describe('plugin hooks', () => {
  it('onRequest can answer in place of the server, with CORS headers kept', async () => {
    const unavailable: ServerPlugin = {
      name: 'unavailable',
      onRequest: (ctx) =>
        ctx.path === '/small.bin'
          ? { status: 503, headers: { 'retry-after': '1' }, body: 'busy' }
          : undefined,
    };
    const { result, server } = await withServer([unavailable], async (base) => {
      const res = await fetch(`${base}/small.bin`);
      const other = await fetch(`${base}/big.bin`, { method: 'HEAD' });
      return { res, text: await res.text(), other: other.status };
    });
    expect(result.res.status).toBe(503);
    expect(result.res.headers.get('retry-after')).toBe('1');
    expect(result.res.headers.get('access-control-allow-origin')).toBe('*');
    expect(result.text).toBe('busy');
    expect(result.other).toBe(200);
    expect(server.stats.log[0]).toMatchObject({ status: 503, bytes: 4 });
  });

  it('onRequest can edit request headers (ignore Range) and onResponse can rewrite headers', async () => {
    const ignoreRange: ServerPlugin = {
      name: 'ignore-range',
      onRequest: (ctx) => {
        delete ctx.requestHeaders.range;
        return undefined;
      },
    };
    const tag: ServerPlugin = {
      name: 'tag',
      onResponse: (ctx) => {
        ctx.responseHeaders['x-served-bytes'] = String(ctx.range ? ctx.range.end + 1 : 0);
      },
    };
    const { result, server } = await withServer([ignoreRange, tag], async (base) => {
      const res = await fetch(`${base}/small.bin`, { headers: { range: 'bytes=0-9' } });
      return { res, size: (await res.arrayBuffer()).byteLength };
    });
    expect(result.res.status).toBe(200);
    expect(result.size).toBe(64 * KIB);
    expect(result.res.headers.get('x-served-bytes')).toBe(String(64 * KIB));
    // The log keeps the Range the client sent.
    expect(server.stats.log[0]?.range).toBe('bytes=0-9');
  });

  it('transformBody sees the bytes served and its output is what is counted', async () => {
    const firstHalf: ServerPlugin = {
      name: 'first-half',
      transformBody: (ctx, body) => {
        const keep = ctx.range ? Math.floor((ctx.range.end - ctx.range.start + 1) / 2) : 0;
        return Readable.from(
          (async function* () {
            let left = keep;
            for await (const chunk of body as AsyncIterable<Buffer>) {
              if (left <= 0) break;
              yield chunk.subarray(0, left);
              left -= Math.min(left, chunk.length);
            }
          })(),
        );
      },
      // Cut the connection once the short body is out, as a truncating fault would
      // (destroying `res` after 'finish' would leave the keep-alive socket open).
      onResponse: (ctx) => {
        ctx.res.once('finish', () => ctx.req.socket.destroy());
      },
    };
    const server = await createModelServer({ root: fx.root, plugins: [firstHalf] });
    try {
      const res = await fetch(`${server.url}/small.bin`);
      await expect(res.arrayBuffer()).rejects.toThrow();
      await server.idle();
      expect(server.stats.bytesSent).toBe(32 * KIB);
    } finally {
      await server.close();
    }
  });

  it('a failing plugin turns into a 500', async () => {
    const broken: ServerPlugin = {
      name: 'broken',
      onRequest: () => {
        throw new Error('boom');
      },
    };
    const { result } = await withServer(
      [broken],
      async (base) => (await fetch(`${base}/small.bin`)).status,
    );
    expect(result).toBe(500);
  });
});
