// Dedicated worker for the download benchmark: the baseline (fetch and discard),
// stripped-down prototypes of the engine's stages, and cleanup of OPFS between
// runs. The engine itself runs in the app's own download worker.
import { expose } from 'comlink';
import '../../../src/bridge/transferErrors';
import type { BenchWorkerApi, PrototypeOptions } from './bench-download.types';

const api: BenchWorkerApi = {
  ping: () => true,

  async fetchAndDiscard(url) {
    const started = performance.now();
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok || !response.body) throw new Error(`baseline: HTTP ${response.status}`);
    const reader = response.body.getReader();
    let bytes = 0;
    let reads = 0;
    for (; ; reads++) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    return { ms: performance.now() - started, bytes, reads };
  },

  async prototype(url, size, options) {
    const started = performance.now();
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {
      create: true,
    });
    const file = await dir.getFileHandle('prototype.bin', { create: true });
    const access = await (file as unknown as SyncFile).createSyncAccessHandle();
    try {
      const reads = options.byob
        ? await byobStreams(url, size, access, options)
        : options.single
          ? await singleStream(url, access, options)
          : await rangedStreams(url, size, access, options);
      access.flush();
      return { ms: performance.now() - started, bytes: size, reads };
    } finally {
      access.close();
    }
  },

  async clearModels() {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('models', { recursive: true }).catch((error: unknown) => {
      if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
    });
  },

  async usage() {
    return navigator.storage.estimate();
  },
};

// The page's DOM typings (this file compiles with the tests) lack sync access handles.
interface SyncAccessHandle {
  write(bytes: Uint8Array, options: { at: number }): number;
  flush(): void;
  close(): void;
}
interface SyncFile {
  createSyncAccessHandle(): Promise<SyncAccessHandle>;
}

/** One GET streamed into the file; with `hash`, each chunk is also copied and digested. */
async function singleStream(
  url: string,
  access: SyncAccessHandle,
  o: PrototypeOptions,
): Promise<number> {
  const response = await fetch(url, { cache: 'no-store' });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const buffer = o.hash ? new Uint8Array(o.chunkSize) : null;
  let filled = 0;
  let reads = 0;
  let pending: Promise<unknown> = Promise.resolve();
  for (let at = 0; ; reads++) {
    const { done, value } = await reader.read();
    if (done) break;
    if (o.write !== false) access.write(value, { at });
    at += value.byteLength;
    for (let piece = value; buffer && piece.byteLength > 0; ) {
      const n = Math.min(piece.byteLength, buffer.byteLength - filled);
      buffer.set(piece.subarray(0, n), filled);
      filled += n;
      piece = piece.subarray(n);
      if (filled === buffer.byteLength) {
        await pending;
        pending = crypto.subtle.digest('SHA-256', buffer);
        filled = 0;
      }
    }
  }
  if (buffer && filled > 0) await crypto.subtle.digest('SHA-256', buffer.subarray(0, filled));
  await pending;
  return reads;
}

/**
 * Range requests of `chunkSize` over `connections` loops sharing one cursor.
 * `connection()` is called once per loop and returns how that loop reads a
 * body (so each loop can own a buffer).
 */
async function overRanges(
  url: string,
  size: number,
  o: PrototypeOptions,
  connection: () => (body: ReadableStream<Uint8Array>, start: number, end: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const loop = async () => {
    const readBody = connection();
    while (next < size) {
      const start = next;
      const end = Math.min(size, start + o.chunkSize) - 1;
      next = end + 1;
      const response = await fetch(url, {
        headers: { Range: `bytes=${start}-${end}` },
        cache: 'no-store',
      });
      if (response.status !== 206) throw new Error(`prototype: HTTP ${response.status}`);
      await readBody(response.body as ReadableStream<Uint8Array>, start, end);
    }
  };
  await Promise.all(Array.from({ length: o.connections }, loop));
}

/** Range requests over N connections, each body streamed to the file at its offset. */
async function rangedStreams(
  url: string,
  size: number,
  access: SyncAccessHandle,
  o: PrototypeOptions,
): Promise<number> {
  let reads = 0;
  await overRanges(url, size, o, () => {
    const buffer = o.hash ? new Uint8Array(o.chunkSize) : null;
    return async (body, start) => {
      const reader = body.getReader();
      let filled = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        reads++;
        buffer?.set(value, filled);
        if (o.write !== false) access.write(value, { at: start + filled });
        filled += value.byteLength;
      }
      if (buffer) await crypto.subtle.digest('SHA-256', buffer.subarray(0, filled));
      if (o.flush) access.flush();
    };
  });
  return reads;
}

/**
 * Range requests of `chunkSize` over N connections read with a BYOB reader into
 * one reused buffer of `hashSize` per connection: each piece is written from
 * the buffer, and a full buffer is one chunk to hash (no per-read allocation).
 */
async function byobStreams(
  url: string,
  size: number,
  access: SyncAccessHandle,
  o: PrototypeOptions,
): Promise<number> {
  let reads = 0;
  const hashSize = o.hashSize ?? 8 * 1024 * 1024;
  await overRanges(url, size, o, () => {
    let buffer = new ArrayBuffer(hashSize);
    return async (body, start, end) => {
      const reader = body.getReader({ mode: 'byob' });
      let at = start;
      let filled = 0;
      for (;;) {
        const { done, value } = await reader.read(
          new Uint8Array(buffer, filled, hashSize - filled),
        );
        // The read takes the buffer over and hands it back in `value`, also when done.
        if (value) buffer = value.buffer as ArrayBuffer;
        if (done || !value) break;
        reads++;
        if (o.write !== false) access.write(value, { at });
        at += value.byteLength;
        filled += value.byteLength;
        if (filled === hashSize || at > end) {
          if (o.hash) void crypto.subtle.digest('SHA-256', new Uint8Array(buffer, 0, filled));
          filled = 0;
        }
      }
      if (o.flush) access.flush();
    };
  });
  return reads;
}

expose(api);
