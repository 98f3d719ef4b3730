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
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    return { ms: performance.now() - started, bytes };
  },

  async prototype(url, size, options) {
    const started = performance.now();
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {
      create: true,
    });
    const file = await dir.getFileHandle('prototype.bin', { create: true });
    const access = await (file as unknown as SyncFile).createSyncAccessHandle();
    try {
      if (options.single) await singleStream(url, access);
      else await rangedStreams(url, size, access, options);
      access.flush();
    } finally {
      access.close();
    }
    return { ms: performance.now() - started, bytes: size };
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

async function singleStream(url: string, access: SyncAccessHandle): Promise<void> {
  const response = await fetch(url, { cache: 'no-store' });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let at = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return;
    access.write(value, { at });
    at += value.byteLength;
  }
}

/** Range requests over N connections, each body streamed to the file at its offset. */
async function rangedStreams(
  url: string,
  size: number,
  access: SyncAccessHandle,
  o: PrototypeOptions,
): Promise<void> {
  let next = 0;
  const connection = async () => {
    const buffer = o.hash ? new Uint8Array(o.chunkSize) : null;
    while (next < size) {
      const start = next;
      const end = Math.min(size, start + o.chunkSize) - 1;
      next = end + 1;
      const response = await fetch(url, {
        headers: { Range: `bytes=${start}-${end}` },
        cache: 'no-store',
      });
      if (response.status !== 206) throw new Error(`prototype: HTTP ${response.status}`);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let filled = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer?.set(value, filled);
        access.write(value, { at: start + filled });
        filled += value.byteLength;
      }
      if (buffer) await crypto.subtle.digest('SHA-256', buffer.subarray(0, filled));
      if (o.flush) access.flush();
    }
  };
  await Promise.all(Array.from({ length: o.connections }, connection));
}

expose(api);
