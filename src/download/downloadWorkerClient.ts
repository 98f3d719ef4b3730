// The page's handle on the download worker, built on the one WorkerBridge: it
// starts the worker on first use and, when the browser kills it mid-download,
// rejects every pending call with `worker-crashed` (the journal keeps what was
// verified, so the download resumes). The composition root builds one.

import { proxy } from 'comlink';
import { WorkerBridge } from '../bridge/workerBridge';
import type {
  BeforeInstall,
  DownloadApi,
  DownloadProgress,
  DownloadResult,
  DownloadSettings,
  RepairPlan,
  RepairResult,
  StoreKind,
  SweepReport,
  VerifyReport,
} from './types';

export interface DownloadWorkerClientOptions {
  /** Creates the worker; receives the unique name it must be given. */
  create?: (name: string) => Worker;
  /** How long a new worker may take to say it is alive (default 60 s). */
  startTimeoutMs?: number;
  /** Runs before each model this page downloads is recorded as installed (caching its runtime). */
  beforeInstall?: BeforeInstall;
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
  private readonly beforeInstall: BeforeInstall | undefined;

  constructor(options: DownloadWorkerClientOptions = {}) {
    this.beforeInstall = options.beforeInstall;
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
    const beforeInstall = this.beforeInstall ? proxy(this.beforeInstall) : undefined;
    return this.bridge.call((api) =>
      api.download(manifestUrl, settings, proxy(onProgress), beforeInstall),
    );
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

  /** Re-hashes an installed model; its verdict is recorded (damaged or intact). */
  verifyModel(
    id: string,
    version: string,
    options: { background?: boolean } = {},
  ): Promise<VerifyReport> {
    return this.bridge.call((api) => api.verify(id, version, options));
  }

  cancelVerify(id: string, version: string): Promise<void> {
    return this.bridge.call((api) => api.cancelVerify(id, version));
  }

  /** Makes a damaged model a download of its bad chunks; start it with the coordinator. */
  prepareRepair(
    id: string,
    version: string,
    settings: DownloadSettings = {},
  ): Promise<RepairPlan | null> {
    return this.bridge.call((api) => api.prepareRepair(id, version, settings));
  }

  /** Repairs in this tab's worker: prepares, then downloads only what no longer verifies. */
  repairModel(
    id: string,
    version: string,
    onProgress: (progress: DownloadProgress) => void,
    settings: DownloadSettings = {},
  ): Promise<RepairResult> {
    return this.bridge.call((api) => api.repair(id, version, settings, proxy(onProgress)));
  }

  /** Deletes stored bytes nobody owns (once per worker); the downloads owner calls it. */
  sweepOrphans(): Promise<SweepReport> {
    return this.bridge.call((api) => api.sweepOrphans());
  }

  /**
   * Ends the worker mid-whatever through our own API. Calls in flight reject
   * with `cancelled` (reason 'worker-terminated'); the next call starts a fresh worker.
   */
  terminate(): void {
    this.bridge.terminate('worker-terminated');
  }
}
