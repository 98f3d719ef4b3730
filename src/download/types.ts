// What the download worker offers the page, as plain types: the page relies
// on these alone and never compiles worker-only code.

import type { ProgressSnapshot } from '../core/progress';

export interface DownloadProgress extends ProgressSnapshot {
  id: string;
  version: string;
  /** The file being fetched now. */
  path: string;
}

export interface DownloadResult {
  id: string;
  version: string;
  bytes: number;
}

export interface DownloadApi {
  download(
    manifestUrl: string,
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<DownloadResult>;
  cancel(manifestUrl: string): void;
}
