// Page-side face of the download worker: starts it on first use and forwards
// calls. The worker's service implements `DownloadApi`, so the two cannot drift apart.

import { proxy, type Remote, wrap } from 'comlink';
import '../bridge/transferErrors';
import type { DownloadApi, DownloadProgress, DownloadResult } from './types';

let service: Remote<DownloadApi> | null = null;

function downloadWorker(): Remote<DownloadApi> {
  service ??= wrap<DownloadApi>(
    new Worker(new URL('../../workers/download.worker.ts', import.meta.url), {
      type: 'module',
      name: 'download',
    }),
  );
  return service;
}

export function startDownload(
  manifestUrl: string,
  onProgress: (progress: DownloadProgress) => void,
): Promise<DownloadResult> {
  return downloadWorker().download(manifestUrl, proxy(onProgress));
}

export function cancelDownload(manifestUrl: string): Promise<void> {
  return downloadWorker().cancel(manifestUrl);
}

export type { DownloadProgress, DownloadResult };
