// Test page for the download engine: drives the real download worker through
// the app's client (start, pause, cancel, kill the worker), the multi-tab
// coordinator, and reads stored models back through the one read API. The
// worker is the test-only entry, so each download can set the engine's knobs.

import { AppError } from '../../../src/core/errors';
import type { ConnectionTrouble } from '../../../src/core/progress';
import type { EngineOptions } from '../../../src/download/engineOptions';
import { TabCoordinator } from '../../../src/download/tabCoordinator';
import { type InspectHubRepoOptions, inspectHubRepo } from '../../../src/hub/inspectHubRepo';
import { getInstalledModel, listInstalledModels } from '../../../src/storage/db';
import { listDownloadRecords } from '../../../src/storage/downloadRecords';
import { saveHubToken } from '../../../src/storage/hubTokenStore';
import { listJournals } from '../../../src/storage/journalStore';
import { readModelFile } from '../../../src/storage/modelFiles';
import { settingsOf, TestingDownloadClient } from './testingDownloadClient';

export type Outcome =
  | { ok: true; bytes: number; backend: string }
  | { ok: false; code: string; details: Record<string, unknown> };

interface Progress {
  doneBytes: number;
  totalBytes: number;
  trouble?: ConnectionTrouble[];
}

const downloads = new TestingDownloadClient();
const runs = new Map<string, Promise<Outcome>>();
const progress: Progress[] = [];
let coordinator: TabCoordinator | null = null;
const coordinatorEvents: string[] = [];

function outcome(promise: Promise<{ bytes: number; backend: string }>): Promise<Outcome> {
  return promise.then(
    (r) => ({ ok: true as const, bytes: r.bytes, backend: r.backend }),
    (error: unknown) => {
      const e = AppError.from(error, 'internal');
      return { ok: false as const, code: e.code, details: e.details };
    },
  );
}

async function sha256(blob: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const harness = {
  /** Starts a download and returns at once; `wait` gives its outcome. */
  start(url: string, options: EngineOptions = {}): void {
    const started = downloads
      .setEngineOptions(options)
      .then(() => downloads.startDownload(url, (p) => progress.push(p), settingsOf(options)));
    runs.set(url, outcome(started));
  },
  wait(url: string): Promise<Outcome> {
    return runs.get(url) ?? Promise.reject(new Error(`no download of ${url}`));
  },
  run(url: string, options: EngineOptions = {}): Promise<Outcome> {
    harness.start(url, options);
    return harness.wait(url);
  },
  lastProgress: () => progress[progress.length - 1] ?? null,
  progressCount: () => progress.length,
  /** Every connection trouble the progress reports carried, in order (a stall, a too-slow host…). */
  troubleSeen: (): ConnectionTrouble[] => progress.flatMap((p) => p.trouble ?? []),
  pause: (url: string) => downloads.pauseDownload(url),
  cancel: (url: string) => downloads.cancelDownload(url),
  kill: () => downloads.terminate(),
  remove: (id: string, version: string) => downloads.removeModel(id, version),
  backend: () => downloads.storageBackend(),
  isInstalled: async (id: string, version: string) => Boolean(await getInstalledModel(id, version)),
  installedRecord: async (id: string, version: string) => {
    const record = await getInstalledModel(id, version);
    return record
      ? { manifestUrl: record.manifestUrl, hub: record.hub ?? null, bytes: record.bytes }
      : null;
  },
  /** The Hub report the UI would show (no download), or the typed error. */
  inspectHub: (options: InspectHubRepoOptions) =>
    inspectHubRepo(options).then(
      (r) => ({ ok: true as const, commit: r.commit, dtypes: r.variants.map((v) => v.dtype) }),
      (error: unknown) => ({ ok: false as const, code: AppError.from(error, 'internal').code }),
    ),
  installedCount: async () => (await listInstalledModels()).length,
  /** Saves a Hub access token on this device, as the Add panel's token field does. */
  saveHubToken: (token: string) => saveHubToken(token),
  journals: (modelKey: string) => listJournals(modelKey),
  downloadRecords: () => listDownloadRecords(),
  /** SHA-256 of each stored file, read back through the app's one read API ('missing' when unreadable). */
  async storedHashes(
    id: string,
    version: string,
    paths: string[],
  ): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const path of paths) {
      try {
        out[path] = await sha256(await readModelFile(id, version, path));
      } catch (error) {
        out[path] = `missing: ${AppError.from(error, 'model-not-installed').code}`;
      }
    }
    return out;
  },
  /** Bytes this origin stores in OPFS under models/ (sizes of files on disk). */
  async opfsModelBytes(): Promise<number> {
    let total = 0;
    const walk = async (dir: FileSystemDirectoryHandle) => {
      for await (const entry of (
        dir as unknown as { values(): AsyncIterable<FileSystemHandle> }
      ).values()) {
        if (entry.kind === 'file') total += (await (entry as FileSystemFileHandle).getFile()).size;
        else await walk(entry as FileSystemDirectoryHandle);
      }
    };
    try {
      await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('models'));
    } catch {
      return 0;
    }
    return total;
  },
  /** Multi-tab: join the owner election. */
  coordinate(): void {
    coordinator = new TabCoordinator(downloads);
    coordinator.subscribe((e) => coordinatorEvents.push(e.type));
    coordinator.start();
  },
  isOwner: () => coordinator?.isOwner ?? false,
  coordinatorEvents: () => [...coordinatorEvents],
  coordinatedRun(url: string, options: EngineOptions = {}): Promise<Outcome> {
    const owner = coordinator;
    if (!owner) throw new Error('call coordinate() first');
    // The knobs go to this tab's worker; only the settings travel with the download.
    const p = outcome(
      downloads.setEngineOptions(options).then(() => owner.download(url, settingsOf(options))),
    );
    runs.set(url, p);
    return p;
  },
};

export type DownloadHarness = typeof harness;
Object.assign(window, { harness });
