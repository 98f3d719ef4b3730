// An incremental SHA-256 (hash-wasm: WebCrypto has no incremental digest) for
// a file that has only a whole-file hash. It runs in a worker of its own,
// started by the download worker, so hashing never stalls the download loop;
// where a nested worker cannot start, it runs inline (same results, on the
// download thread).

import { type Remote, transfer, wrap } from 'comlink';
import { createSHA256, type IHasher } from 'hash-wasm';

/** What the hash worker offers (`workers/hash.worker.ts`). */
export interface HashWorkerApi {
  ping(): true | Promise<true>;
  update(bytes: Uint8Array): void | Promise<void>;
  digest(): string | Promise<string>;
}

export interface IncrementalHash {
  /** Feeds the next bytes, taking them over (the buffer is detached when this returns). */
  update(bytes: Uint8Array): Promise<void>;
  digest(): Promise<string>;
  close(): void;
}

/** Hash-wasm in this thread: the fallback, and what the hash worker itself runs. */
export async function inlineHash(): Promise<HashWorkerApi> {
  const hasher: IHasher = (await createSHA256()).init();
  return {
    ping: () => true,
    update: (bytes) => void hasher.update(bytes),
    digest: () => hasher.digest('hex'),
  };
}

const START_TIMEOUT_MS = 5000;

/** A hash in its own worker when one starts within a few seconds, else inline. */
export async function openIncrementalHash(
  create: () => Worker = createHashWorker,
): Promise<IncrementalHash> {
  let worker: Worker | null = null;
  try {
    worker = create();
    const remote = wrap<HashWorkerApi>(worker);
    await withTimeout(remote.ping(), START_TIMEOUT_MS, worker);
    return workerHash(worker, remote);
  } catch {
    worker?.terminate();
    const inline = await inlineHash();
    return {
      update: async (bytes) => inline.update(bytes),
      digest: async () => inline.digest(),
      close: () => {},
    };
  }
}

function createHashWorker(): Worker {
  return new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), {
    type: 'module',
    name: 'hash',
  });
}

function workerHash(worker: Worker, remote: Remote<HashWorkerApi>): IncrementalHash {
  // A worker that dies answers nothing: every pending call fails instead of hanging.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      reject(new Error(`hash worker failed: ${event.message || 'unknown error'}`));
    });
  });
  failed.catch(() => {});
  return {
    update: (bytes) => Promise.race([remote.update(transfer(bytes, [bytes.buffer])), failed]),
    digest: () => Promise.race([remote.digest(), failed]),
    close: () => worker.terminate(),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hash worker did not start')), ms);
    worker.addEventListener('error', () => reject(new Error('hash worker failed to start')));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
