// An incremental SHA-256 (hash-wasm: WebCrypto has no incremental digest) for
// a file that has only a whole-file hash. It runs in a worker of its own,
// started by the download worker through the one WorkerBridge, so hashing
// never stalls the download loop; where a nested worker cannot start, it runs
// inline (same results, on the download thread).

import { type Remote, transfer } from 'comlink';
import { createSHA256, type IHasher } from 'hash-wasm';
import { WorkerBridge } from '../bridge/workerBridge';

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

/**
 * A hash in its own worker when one starts within a few seconds, else inline.
 * The worker is owned by the one WorkerBridge, inside the download worker: a
 * hash worker that dies fails every pending call with `worker-crashed`, and the
 * hash stays failed (a fresh worker would have lost the bytes hashed so far).
 */
export async function openIncrementalHash(
  create: (name: string) => Worker = createHashWorker,
): Promise<IncrementalHash> {
  const bridge = new WorkerBridge<HashWorkerApi>({
    name: 'hash',
    create,
    // Not serial: comlink keeps the calls in order, and updates stay pipelined.
    serial: false,
    startTimeoutMs: START_TIMEOUT_MS,
    crashError: { code: 'worker-crashed' },
  });
  try {
    await bridge.call((remote) => remote.ping());
  } catch {
    bridge.terminate('no hash worker');
    const inline = await inlineHash();
    return {
      update: async (bytes) => inline.update(bytes),
      digest: async () => inline.digest(),
      close: () => {},
    };
  }
  return workerHash(bridge);
}

function createHashWorker(name: string): Worker {
  return new Worker(new URL('../../workers/hash.worker.ts', import.meta.url), {
    type: 'module',
    name,
  });
}

function workerHash(bridge: WorkerBridge<HashWorkerApi>): IncrementalHash {
  let failed: unknown = null;
  const guarded = <T>(task: (remote: Remote<HashWorkerApi>) => Promise<T>): Promise<T> => {
    if (failed) return Promise.reject(failed);
    return bridge.call(task).catch((error: unknown) => {
      failed ??= error;
      throw error;
    });
  };
  return {
    update: (bytes) => guarded((remote) => remote.update(transfer(bytes, [bytes.buffer]))),
    digest: () => guarded((remote) => remote.digest()),
    close: () => bridge.terminate('closed'),
  };
}
