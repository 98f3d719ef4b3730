// The app server's content negotiation: the build's Brotli/gzip copies go to
// clients that accept them, with `Vary: Accept-Encoding`; others get the file.

import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, acceptsEncoding, createAppServer } from '../../../tools/serve/appServer';

describe('acceptsEncoding', () => {
  const cases: Array<[string | undefined, string, boolean]> = [
    [undefined, 'br', false],
    ['', 'gzip', false],
    ['gzip, deflate, br, zstd', 'br', true],
    ['gzip, deflate', 'br', false],
    ['gzip, deflate', 'gzip', true],
    ['br;q=0, gzip', 'br', false],
    ['BR;Q=0.5', 'br', true],
    ['*', 'br', true],
    ['*;q=0', 'gzip', false],
    ['*, br;q=0', 'br', false],
    ['identity', 'gzip', false],
  ];
  it.each(cases)('%j accepts %s: %s', (header, name, expected) => {
    expect(acceptsEncoding(header, name)).toBe(expected);
  });
});

describe('createAppServer compression', () => {
  const text = 'console.log("hello");\n'.repeat(200);
  let dir: string;
  let server: AppServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'app-server-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'app.js'), text);
    await writeFile(join(dir, 'app.js.br'), brotliCompressSync(text));
    await writeFile(join(dir, 'app.js.gz'), gzipSync(text));
    await writeFile(join(dir, 'only-gzip.css'), text);
    await writeFile(join(dir, 'only-gzip.css.gz'), gzipSync(text));
    await writeFile(join(dir, 'logo.png'), text);
    await writeFile(join(dir, 'logo.png.br'), brotliCompressSync(text));
    server = await createAppServer({ root: dir });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Node's fetch would decode on its own; a raw request shows what was sent.
  async function get(path: string, acceptEncoding: string) {
    const { request } = await import('node:http');
    return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((done, fail) => {
      request(
        new URL(path, server.url),
        { headers: { 'Accept-Encoding': acceptEncoding } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done({ headers: res.headers, body: Buffer.concat(chunks) }));
        },
      )
        .on('error', fail)
        .end();
    });
  }

  const cases: Array<[string, string, string | undefined, (b: Buffer) => Buffer]> = [
    ['app.js', 'gzip, deflate, br', 'br', brotliDecompressSync],
    ['app.js', 'gzip', 'gzip', gunzipSync],
    ['app.js', 'identity', undefined, (b) => b],
    ['only-gzip.css', 'br, gzip', 'gzip', gunzipSync],
    ['only-gzip.css', 'br', undefined, (b) => b],
  ];
  it.each(cases)(
    '%s with Accept-Encoding %j is sent as %s',
    async (path, accept, encoding, decode) => {
      const { headers, body } = await get(path, accept);
      expect(headers['content-encoding']).toBe(encoding);
      expect(headers.vary).toBe('Accept-Encoding');
      expect(Number(headers['content-length'])).toBe(body.length);
      expect(decode(body).toString()).toBe(text);
    },
  );

  it('sends the file itself when it changed after its compressed copies', async () => {
    const edited = text.replace('hello', 'edited');
    await writeFile(join(dir, 'edited.js.br'), brotliCompressSync(text));
    await writeFile(join(dir, 'edited.js.gz'), gzipSync(text));
    await writeFile(join(dir, 'edited.js'), edited);
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'edited.js'), later, later);
    const { headers, body } = await get('edited.js', 'br, gzip');
    expect(headers['content-encoding']).toBeUndefined();
    expect(body.toString()).toBe(edited);
  });

  it('never sends a compressed copy of a type it does not compress', async () => {
    const { headers, body } = await get('logo.png', 'br');
    expect(headers['content-encoding']).toBeUndefined();
    expect(body.toString()).toBe(text);
  });
});
