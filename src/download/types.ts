// What the download worker offers the page, as plain types: the page relies
// on these alone and never compiles worker-only code.

import type { ProgressSnapshot } from '../core/progress';
import type { StoreKind } from '../storage/db';
import type { DownloadSettings } from './downloadSettings';
import type { EngineOptions } from './engineOptions';

export type { DownloadSettings, EngineOptions, StoreKind };

export interface DownloadProgress extends ProgressSnapshot {
  id: string;
  version: string;
  /** The file being fetched now ('' when several are). */
  path: string;
}

export interface DownloadResult {
  id: string;
  version: string;
  bytes: number;
  backend: StoreKind;
}

export interface DownloadApi {
  /** Starts (or resumes, or joins) the download of one model version, with the user's settings. */
  download(
    manifestUrl: string,
    settings?: DownloadSettings,
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<DownloadResult>;
  /** Stops it, keeping what is verified; its `download` call rejects with `cancelled` (reason 'paused'). */
  pause(manifestUrl: string): Promise<void>;
  /** Stops it and deletes its partial files and journal; `download` rejects with `cancelled`. */
  cancel(manifestUrl: string): Promise<void>;
  /** Deletes an installed or partial model version from every backend. */
  remove(id: string, version: string): Promise<void>;
  /** The storage backend new downloads go to. */
  storageBackend(): Promise<StoreKind>;
}
