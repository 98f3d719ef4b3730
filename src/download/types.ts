// What the download worker offers the page, as plain types: the page relies
// on these alone and never compiles worker-only code.

import type { ModelManifest } from '../core/manifest';
import type { ProgressSnapshot } from '../core/progress';
import type { DamagedFile } from '../core/storedDamage';
import type { StoreKind } from '../storage/db';
import type { DownloadSettings } from './downloadSettings';
import type { EngineOptions } from './engineOptions';

export type { DamagedFile, DownloadSettings, EngineOptions, StoreKind };

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

/**
 * Runs once every file is verified, before the model is recorded as installed;
 * a rejection leaves it not installed (its verified files stay, for a retry).
 * What it resolves with tells the install what to prepare.
 */
export type BeforeInstall = (manifest: ModelManifest) => Promise<InstallPreparation | undefined>;

/** What the page tells an install once it has seen the verified manifest. */
export interface InstallPreparation {
  /**
   * How this device will run the model (the planner's backend and dtype): a
   * 4-bit model planned for wasm gets its int8 graph now (deriveQ4Files).
   * A download's own `settings.plannedRun` wins over it.
   */
  plannedRun?: { device: string; dtype: string };
}

export interface DownloadApi {
  /** Starts (or resumes, or joins) the download of one model version, with the user's settings. */
  download(
    manifestUrl: string,
    settings?: DownloadSettings,
    onProgress?: (progress: DownloadProgress) => void,
    beforeInstall?: BeforeInstall,
  ): Promise<DownloadResult>;
  /** Stops it, keeping what is verified; its `download` call rejects with `cancelled` (reason 'paused'). */
  pause(manifestUrl: string): Promise<void>;
  /** Stops it and deletes its partial files and journal; `download` rejects with `cancelled`. */
  cancel(manifestUrl: string): Promise<void>;
  /** Deletes an installed or partial model version from every backend. */
  remove(id: string, version: string): Promise<void>;
  /** The storage backend new downloads go to. */
  storageBackend(): Promise<StoreKind>;
  /**
   * Re-hashes an installed model against its manifest and records the verdict
   * (damaged or intact). `background` yields longer between chunks.
   */
  verify(id: string, version: string, options?: { background?: boolean }): Promise<VerifyReport>;
  /** Stops a verification in progress (it rejects with `cancelled`). */
  cancelVerify(id: string, version: string): Promise<void>;
  /**
   * Makes a damaged model a resumable download of only its bad chunks (no
   * longer installed); null when every byte verifies. Then `download` it.
   */
  prepareRepair(
    id: string,
    version: string,
    settings?: DownloadSettings,
  ): Promise<RepairPlan | null>;
  /** `prepareRepair` then `download`: fetches only what no longer verifies and reinstalls. */
  repair(
    id: string,
    version: string,
    settings?: DownloadSettings,
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<RepairResult>;
  /** Deletes stored bytes nobody owns; once per worker, before any download starts. */
  sweepOrphans(): Promise<SweepReport>;
}

export interface VerifyReport {
  id: string;
  version: string;
  /** Empty when every stored byte matches the manifest. */
  damaged: DamagedFile[];
}

export interface RepairPlan {
  manifestUrl: string;
  /** What the re-hash found; the download fetches exactly these chunks. */
  damaged: DamagedFile[];
}

export interface RepairResult {
  damaged: DamagedFile[];
  /** The reinstall, or null when nothing needed fetching. */
  result: DownloadResult | null;
}

export interface SweepReport {
  /** OPFS paths under `models/` and IndexedDB chunk files (`idb:…`) that were deleted. */
  removed: string[];
  /** Orphans that could not be deleted now (e.g. a file still open elsewhere). */
  kept: string[];
}
