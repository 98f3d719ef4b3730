// Serves the built app (dist/) the way a production host should: with the
// COOP/COEP headers that make the page cross-origin isolated, the SPA
// fallback, a `config.json` that tells the app where its model host is, and
// the build's Brotli/gzip copies to browsers that accept them.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { COMPRESSIBLE } from '../build/compress';

/** Content-Type by file extension, for the app's files (also the plain static server's). */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** The best fresh precompressed copy of `file` the client accepts: Brotli, then gzip. */
async function compressedCopy(
  file: string,
  modified: Date,
  acceptEncoding: string | undefined,
): Promise<{ file: string; name: string; size: number } | null> {
  for (const [name, ext] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!acceptsEncoding(acceptEncoding, name)) continue;
    const info = await stat(file + ext).catch(() => null);
    // A copy older than its file is stale (the file was edited after the build).
    if (info?.isFile() && info.mtimeMs >= modified.getTime()) {
      return { file: file + ext, name, size: info.size };
    }
  }
  return null;
}

/** Whether an Accept-Encoding header allows `name` (listed, or `*`, with q > 0). */
export function acceptsEncoding(header: string | undefined, name: string): boolean {
  let wildcard = false;
  for (const part of (header ?? '').split(',')) {
    const [token = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (token === name) return allowed;
    if (token === '*') wildcard = allowed;
  }
  return wildcard;
}

export interface AppServerOptions {
  root: string;
  port?: number;
  host?: string;
  /** Served as /config.json, overriding any file of that name. */
  config?: Record<string, unknown>;
}

export interface AppServer {
  url: string;
  /** Requests received, for tests that prove the app made none. */
  requests: string[];
  close(): Promise<void>;
}

export async function createAppServer(options: AppServerOptions): Promise<AppServer> {
  const root = resolve(options.root);
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json' && options.config) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.json'], 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(options.config));
      return;
    }
    let file = join(root, normalize(path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info && !extname(path)) {
      // Client-side routes fall back to the app shell.
      file = join(root, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    // The service worker script must be revalidated so updates are found.
    const hashed = /[-.][A-Za-z0-9_-]{8,}\.\w+$/.test(file) && !file.endsWith('sw.js');
    const headers: Record<string, string | number> = {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    // Ranges are cut from the plain file; a compressed copy is sent whole.
    if (COMPRESSIBLE.test(file) && !req.headers.range) {
      headers.Vary = 'Accept-Encoding';
      const encoding = await compressedCopy(file, info.mtime, req.headers['accept-encoding']);
      if (encoding) {
        file = encoding.file;
        headers['Content-Encoding'] = encoding.name;
        headers['Content-Length'] = encoding.size;
      }
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', done),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
