// The page's handle on the download worker, built on the one WorkerBridge: it
// starts the worker on first use and, when the browser kills it mid-download,
// rejects every pending call with `worker-crashed` (the journal keeps what was
// verified, so the download resumes). The composition root builds one.

import { proxy } from 'comlink';
import { WorkerBridge } from '../bridge/workerBridge';
import type {
  DownloadApi,
  DownloadProgress,
  DownloadResult,
  DownloadSettings,
  StoreKind,
} from './types';

export interface DownloadWorkerClientOptions {
  /** Creates the worker; receives the unique name it must be given. */
  create?: (name: string) => Worker;
  /** How long a new worker may take to say it is alive (default 60 s). */
  startTimeoutMs?: number;
}

export function createDownloadWorker(name: string): Worker {
  return new Worker(new URL('../../workers/download.worker.ts', import.meta.url), {
    type: 'module',
    name,
  });
}

/** `Api` is wider only for the test-only worker entry, which adds its knobs. */
export class DownloadWorkerClient<Api extends DownloadApi = DownloadApi> {
  protected readonly bridge: WorkerBridge<Api>;

  constructor(options: DownloadWorkerClientOptions = {}) {
    this.bridge = new WorkerBridge<Api>({
      name: 'download',
      create: options.create ?? createDownloadWorker,
      // Pause and cancel must reach a download in flight; downloads have no time limit.
      serial: false,
      startTimeoutMs: options.startTimeoutMs,
      crashError: { code: 'worker-crashed' },
    });
  }

  startDownload(
    manifestUrl: string,
    onProgress: (progress: DownloadProgress) => void,
    settings: DownloadSettings = {},
  ): Promise<DownloadResult> {
    return this.bridge.call((api) => api.download(manifestUrl, settings, proxy(onProgress)));
  }

  pauseDownload(manifestUrl: string): Promise<void> {
    return this.bridge.call((api) => api.pause(manifestUrl));
  }

  cancelDownload(manifestUrl: string): Promise<void> {
    return this.bridge.call((api) => api.cancel(manifestUrl));
  }

  removeModel(id: string, version: string): Promise<void> {
    return this.bridge.call((api) => api.remove(id, version));
  }

  /** Which storage backend downloads use here (for the diagnostics screen). */
  storageBackend(): Promise<StoreKind> {
    return this.bridge.call((api) => api.storageBackend());
  }

  /**
   * Ends the worker mid-whatever through our own API. Calls in flight reject
   * with `cancelled` (reason 'worker-terminated'); the next call starts a fresh worker.
   */
  terminate(): void {
    this.bridge.terminate('worker-terminated');
  }
}

export type { DownloadProgress, DownloadResult, DownloadSettings, StoreKind };
