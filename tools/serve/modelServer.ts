// A static HTTP server for model packages, for development and tests: ranges,
// validators, CORS/CORP, exact byte counters, and plugin hooks through which
// tests inject slow or faulty behaviour without the core knowing about it.

import { once } from 'node:events';
import { realpath } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import {
  type ByteRange,
  formatContentRange,
  formatUnsatisfiedRange,
  parseRangeHeader,
  rangeLength,
} from '../../src/core/range';
import {
  contentType,
  decodePathForLog,
  ifRangeHolds,
  noneMatchHits,
  notModifiedSince,
  openServedFile,
  resolveRequestPath,
  type ServedFile,
} from './files';
import type {
  RequestContext,
  RequestLogEntry,
  ResponseContext,
  ServerPlugin,
  ServerStats,
} from './types';

export type { ServedFile } from './files';
export type {
  PluginResponse,
  RequestContext,
  RequestLogEntry,
  ResponseContext,
  ServerPlugin,
  ServerStats,
} from './types';

export interface ModelServerOptions {
  root: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  plugins?: ServerPlugin[];
}

export interface ModelServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43123`. */
  url: string;
  port: number;
  stats: ServerStats;
  /** Zeroes the counters in place (the same `stats` object stays valid). */
  resetStats(): void;
  /** Resolves once no response is in flight, so counters are final. */
  idle(): Promise<void>;
  /**
   * Replaces the plugins for requests that arrive from now on (responses in
   * flight keep the ones they started with), e.g. one fault plan per scenario.
   */
  setPlugins(plugins: ServerPlugin[]): void;
  /** Stops listening and cuts open connections. */
  close(): Promise<void>;
}

const ALLOW = 'GET, HEAD, OPTIONS';
const COMMON_HEADERS: OutgoingHttpHeaders = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'Content-Length, Content-Range, ETag, Accept-Ranges, Last-Modified',
  // The app is cross-origin isolated (COEP require-corp), so every response must opt in.
  'cross-origin-resource-policy': 'cross-origin',
};
const PREFLIGHT_HEADERS: OutgoingHttpHeaders = {
  'access-control-allow-methods': ALLOW,
  'access-control-allow-headers': 'Range, If-Range, If-None-Match, If-Modified-Since',
  'access-control-max-age': '600',
};

export async function createModelServer(opts: ModelServerOptions): Promise<ModelServer> {
  const root = resolve(opts.root);
  const realRoot = await realpath(root);
  let currentPlugins = [...(opts.plugins ?? [])];
  let nextIndex = 0;
  const stats: ServerStats = { requests: 0, bytesSent: 0, byPath: new Map(), log: [] };
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];

  const countBytes = (entry: RequestLogEntry, n: number) => {
    entry.bytes += n;
    stats.bytesSent += n;
    // Looked up each time: resetStats may have cleared the map mid-response.
    const perPath = stats.byPath.get(entry.path) ?? { requests: 0, bytes: 0 };
    perPath.bytes += n;
    stats.byPath.set(entry.path, perPath);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const plugins = currentPlugins;
    const index = nextIndex++;
    const method = req.method ?? 'GET';
    const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    const path = decodePathForLog(rawPath);
    const entry: RequestLogEntry = {
      method,
      path,
      range: req.headers.range ?? null,
      status: 0,
      bytes: 0,
    };
    stats.requests++;
    stats.log.push(entry);
    const perPath = stats.byPath.get(path) ?? { requests: 0, bytes: 0 };
    perPath.requests++;
    stats.byPath.set(path, perPath);

    const resolved = resolveRequestPath(root, rawPath);
    const ctx: RequestContext = {
      index,
      method,
      path,
      requestHeaders: { ...req.headers },
      filePath: resolved.ok ? resolved.path : null,
      req,
      res,
    };
    let file: ServedFile | null = null;
    let bodyOwned = false;

    const send = async (
      status: number,
      headers: OutgoingHttpHeaders,
      range: ByteRange | null = null,
    ): Promise<void> => {
      const rc: ResponseContext = {
        ...ctx,
        file,
        status,
        responseHeaders: { ...COMMON_HEADERS, ...headers },
        range,
      };
      for (const p of plugins) await p.onResponse?.(rc);
      entry.status = rc.status;
      res.writeHead(rc.status, rc.responseHeaders);
      if (!file || !range || method === 'HEAD') return void res.end();
      const source = file.handle.createReadStream({ start: range.start, end: range.end });
      bodyOwned = true; // The stream closes the handle when it ends or is destroyed.
      let body: Readable = source;
      try {
        for (const p of plugins) if (p.transformBody) body = p.transformBody(rc, body);
        await pump(body, res, (n) => countBytes(entry, n));
      } finally {
        // However a plugin's wrapper ended, release the file.
        source.destroy();
      }
    };

    try {
      for (const p of plugins) {
        const reply = await p.onRequest?.(ctx);
        if (!reply) continue;
        entry.status = reply.status;
        const body = reply.body ?? '';
        res.writeHead(reply.status, {
          ...COMMON_HEADERS,
          'content-length': Buffer.byteLength(body),
          ...reply.headers,
        });
        if (method === 'HEAD') return void res.end();
        return void (await pump(Readable.from([Buffer.from(body)]), res, (n) =>
          countBytes(entry, n),
        ));
      }

      if (method === 'OPTIONS')
        return await send(204, { ...PREFLIGHT_HEADERS, 'content-length': 0 });
      if (method !== 'GET' && method !== 'HEAD') {
        return await send(405, { allow: ALLOW, 'content-length': 0 });
      }
      if (!resolved.ok) return await send(resolved.status, { 'content-length': 0 });
      file = await openServedFile(resolved.path, realRoot);
      if (!file) return await send(404, { 'content-length': 0 });

      const h = ctx.requestHeaders;
      const validators: OutgoingHttpHeaders = {
        etag: file.etag,
        'last-modified': file.lastModified,
        'cache-control': 'no-cache',
        'accept-ranges': 'bytes',
      };
      const notModified =
        h['if-none-match'] !== undefined
          ? noneMatchHits(h['if-none-match'], file.etag)
          : h['if-modified-since'] !== undefined && notModifiedSince(h['if-modified-since'], file);
      if (notModified) return await send(304, validators);

      const headers: OutgoingHttpHeaders = {
        ...validators,
        'content-type': contentType(file.path),
      };
      // Range is honoured for HEAD too, as common servers do, so a client can probe support cheaply.
      const ifRange = headerText(h['if-range']);
      const wanted =
        ifRange === undefined || ifRangeHolds(ifRange, file)
          ? parseRangeHeader(h.range, file.size)
          : null;
      if (wanted === 'unsatisfiable') {
        return await send(416, {
          ...headers,
          'content-range': formatUnsatisfiedRange(file.size),
          'content-length': 0,
        });
      }
      if (wanted) {
        headers['content-range'] = formatContentRange(wanted.start, wanted.end, file.size);
        headers['content-length'] = rangeLength(wanted);
        return await send(206, headers, wanted);
      }
      headers['content-length'] = file.size;
      const whole = file.size > 0 ? { start: 0, end: file.size - 1 } : null;
      return await send(200, headers, whole);
    } catch {
      // A plugin or the filesystem failed: answer 500 if still possible, else cut the connection.
      if (res.headersSent) return void res.destroy();
      entry.status = 500;
      res.writeHead(500, { ...COMMON_HEADERS, 'content-length': 0 }).end();
    } finally {
      if (file && !bodyOwned) await file.handle.close().catch(() => {});
    }
  }

  const server = createServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch(() => res.destroy())
      .finally(() => {
        if (--inFlight === 0) {
          for (const wake of idleWaiters) wake();
          idleWaiters = [];
        }
      });
  });
  server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stats,
    resetStats() {
      stats.requests = 0;
      stats.bytesSent = 0;
      stats.byPath.clear();
      stats.log.length = 0;
    },
    setPlugins(plugins) {
      currentPlugins = [...plugins];
    },
    idle: () =>
      inFlight === 0 ? Promise.resolve() : new Promise((wake) => idleWaiters.push(wake)),
    async close() {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Writes `body` to `res`, counting each chunk once the socket has taken it, and
 * ending the response. If the client goes away (or a plugin destroys `res`) the
 * body is destroyed too, which also ends a body a plugin has stalled. If the
 * body fails, the connection is cut once what it gave so far has been flushed,
 * so that the client receives exactly those bytes and then a broken response.
 */
async function pump(
  body: Readable,
  res: ServerResponse,
  count: (n: number) => void,
): Promise<void> {
  // The client may have left while a plugin was deciding: 'close' has fired already.
  const closed = res.closed
    ? Promise.resolve()
    : once(res, 'close').then(
        () => {},
        () => {},
      );
  if (res.closed) body.destroy();
  else res.once('close', () => body.destroy());
  let lastWrite: Promise<void> = Promise.resolve();
  try {
    for await (const chunk of body) {
      const bytes = chunk as Uint8Array;
      if (res.destroyed) break;
      let flushed = true;
      lastWrite = new Promise((written) => {
        flushed = res.write(bytes, (err) => {
          if (!err) count(bytes.length);
          written();
        });
      });
      if (!flushed) await Promise.race([once(res, 'drain'), closed]);
    }
    if (!res.destroyed) res.end();
    // 'close' follows the last write callback, so the counters are final once it fires.
    await closed;
  } catch {
    // A client that stopped reading would hold the flush forever: give it a few seconds.
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((done) => {
      timer = setTimeout(done, 5000);
    });
    await Promise.race([lastWrite, closed, giveUp]);
    clearTimeout(timer);
    res.destroy();
    await closed;
  } finally {
    body.destroy();
  }
}

/** A request header as one string (Node gives arrays only for repeated unknown headers). */
function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
