// Storage facts: quota and usage, persistence, OPFS in the page, and OPFS with
// a sync access handle in a dedicated worker (the only place those exist).

import type { StorageReport } from '../core/probeReport';

export type PageStorage = Pick<StorageReport, 'quotaBytes' | 'usageBytes' | 'persisted' | 'opfs'>;
export type WorkerStorage = Pick<StorageReport, 'workerOpfs' | 'syncAccessHandle'>;

export async function probePageStorage(): Promise<PageStorage> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage) return { quotaBytes: null, usageBytes: null, persisted: null, opfs: false };
  const [estimate, persisted, opfs] = await Promise.all([
    storage.estimate?.().catch(() => null),
    storage.persisted?.().catch(() => null),
    canOpenOpfs(storage),
  ]);
  return {
    quotaBytes: estimate?.quota ?? null,
    usageBytes: estimate?.usage ?? null,
    persisted: persisted ?? null,
    opfs,
  };
}

async function canOpenOpfs(storage: StorageManager): Promise<boolean> {
  if (typeof storage.getDirectory !== 'function') return false;
  try {
    await storage.getDirectory();
    return true;
  } catch {
    return false; // e.g. WebKit's ephemeral automation profiles: UnknownError
  }
}

interface WorkerAnswer extends WorkerStorage {
  error: string;
}

// Runs inside the probe worker. It is sent as source text, so it must stay
// self-contained: globals only, nothing from this module's scope.
function storageWorkerMain() {
  interface SyncHandle {
    write(data: Uint8Array, options: { at: number }): number;
    flush(): void;
    close(): void;
  }
  self.onmessage = async () => {
    const answer = { workerOpfs: false, syncAccessHandle: false, error: '' };
    try {
      const root = await navigator.storage.getDirectory();
      answer.workerOpfs = true;
      const name = `.runanywhere-probe-${Math.random().toString(36).slice(2)}`;
      const file = await root.getFileHandle(name, { create: true });
      try {
        const open = (file as unknown as { createSyncAccessHandle?: () => Promise<SyncHandle> })
          .createSyncAccessHandle;
        if (typeof open !== 'function') throw new Error('createSyncAccessHandle is missing');
        const handle = await open.call(file);
        handle.write(new Uint8Array([1]), { at: 0 });
        handle.flush();
        handle.close();
        answer.syncAccessHandle = true;
      } finally {
        await root.removeEntry(name);
      }
    } catch (error) {
      answer.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    postMessage(answer);
  };
}

/** Starts a tiny dedicated worker that tries OPFS and a sync access handle, then ends it. */
export async function probeWorkerStorage(signal: AbortSignal): Promise<WorkerAnswer> {
  if (typeof Worker === 'undefined') {
    return { workerOpfs: false, syncAccessHandle: false, error: 'no dedicated workers' };
  }
  const source = `(${storageWorkerMain.toString()})()`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  try {
    return await new Promise<WorkerAnswer>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')));
      worker.onmessage = (event: MessageEvent<WorkerAnswer>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message || 'the probe worker failed'));
      worker.postMessage('probe');
    });
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
}
