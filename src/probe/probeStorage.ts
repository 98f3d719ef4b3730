// Storage facts: quota and usage, persistence, OPFS in the page, and OPFS with
// a sync access handle in a dedicated worker (the only place those exist).

import type { StorageReport } from '../core/probeReport';
import { type OpfsCapabilities, probeOpfs } from '../storage/probeOpfs';

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

// Runs inside the probe worker with the OPFS test (`probeOpfs`) as its argument.
// It is sent as source text, so it must stay self-contained: globals only.
function storageWorkerMain(probe: () => Promise<OpfsCapabilities>) {
  self.onmessage = async () => {
    const { opfs, syncAccessHandle, error } = await probe();
    postMessage({ workerOpfs: opfs, syncAccessHandle, error });
  };
}

/** Starts a tiny dedicated worker that tries OPFS and a sync access handle, then ends it. */
export async function probeWorkerStorage(signal: AbortSignal): Promise<WorkerAnswer> {
  if (typeof Worker === 'undefined') {
    return { workerOpfs: false, syncAccessHandle: false, error: 'no dedicated workers' };
  }
  const source = `(${storageWorkerMain.toString()})(${probeOpfs.toString()})`;
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
