// Page-side bridge to the download worker: starts it on first use, forwards
// calls, and can terminate it (the browser may kill it too; the journal makes
// either harmless). The worker's service implements `DownloadApi`.

import { proxy, type Remote, wrap } from 'comlink';
import '../bridge/transferErrors';
import { AppError } from '../core/errors';
import type {
  DownloadApi,
  DownloadProgress,
  DownloadResult,
  EngineOptions,
  RepairPlan,
  RepairResult,
  StoreKind,
  SweepReport,
  VerifyReport,
} from './types';

let worker: Worker | null = null;
let service: Remote<DownloadApi> | null = null;
/** Rejecters of calls in flight, so that terminating the worker settles them. */
const pending = new Set<(error: AppError) => void>();

function tracked<T>(call: (api: Remote<DownloadApi>) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    pending.add(reject);
    call(downloadWorker())
      .then(resolve, reject)
      .finally(() => pending.delete(reject));
  });
}

function downloadWorker(): Remote<DownloadApi> {
  if (!service) {
    worker = new Worker(new URL('../../workers/download.worker.ts', import.meta.url), {
      type: 'module',
      name: 'download',
    });
    service = wrap<DownloadApi>(worker);
  }
  return service;
}

export function startDownload(
  manifestUrl: string,
  onProgress: (progress: DownloadProgress) => void,
  options: EngineOptions = {},
): Promise<DownloadResult> {
  return tracked((api) => api.download(manifestUrl, options, proxy(onProgress)));
}

export function pauseDownload(manifestUrl: string): Promise<void> {
  return tracked((api) => api.pause(manifestUrl));
}

export function cancelDownload(manifestUrl: string): Promise<void> {
  return tracked((api) => api.cancel(manifestUrl));
}

export function removeModel(id: string, version: string): Promise<void> {
  return tracked((api) => api.remove(id, version));
}

/** Which storage backend downloads use here (for the diagnostics screen). */
export function storageBackend(): Promise<StoreKind> {
  return tracked((api) => api.storageBackend());
}

/** Re-hashes an installed model; its verdict is recorded (damaged or intact). */
export function verifyModel(
  id: string,
  version: string,
  options: { background?: boolean } = {},
): Promise<VerifyReport> {
  return tracked((api) => api.verify(id, version, options));
}

export function cancelVerify(id: string, version: string): Promise<void> {
  return tracked((api) => api.cancelVerify(id, version));
}

/** Makes a damaged model a download of its bad chunks; start it with the coordinator. */
export function prepareRepair(
  id: string,
  version: string,
  options: EngineOptions = {},
): Promise<RepairPlan | null> {
  return tracked((api) => api.prepareRepair(id, version, options));
}

/** Repairs in this tab's worker: prepares, then downloads only what no longer verifies. */
export function repairModel(
  id: string,
  version: string,
  onProgress: (progress: DownloadProgress) => void,
  options: EngineOptions = {},
): Promise<RepairResult> {
  return tracked((api) => api.repair(id, version, options, proxy(onProgress)));
}

/** Deletes stored bytes nobody owns (once per worker); the downloads owner calls it. */
export function sweepOrphans(): Promise<SweepReport> {
  return tracked((api) => api.sweepOrphans());
}

/**
 * Kills the worker mid-whatever, as a browser may. Calls in flight reject
 * with `cancelled` (reason 'worker-terminated'); the next call starts a fresh worker.
 */
export function terminateDownloadWorker(): void {
  worker?.terminate();
  worker = null;
  service = null;
  const error = new AppError('cancelled', { reason: 'worker-terminated' });
  for (const reject of pending) reject(error);
  pending.clear();
}

export type {
  DownloadProgress,
  DownloadResult,
  EngineOptions,
  RepairPlan,
  RepairResult,
  StoreKind,
  SweepReport,
  VerifyReport,
};
