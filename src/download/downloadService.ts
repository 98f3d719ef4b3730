// The object the download worker exposes to the page: start, join, pause,
// cancel and remove downloads; one run per manifest URL. Keeps the download's
// record in IndexedDB so the next visit can resume what was interrupted.

import { AppError } from '../core/errors';
import { manifestSize } from '../core/manifest';
import { modelStore, probeModelStore } from '../storage/chooseModelStore';
import {
  type DownloadRecord,
  deleteInstalledModel,
  getInstalledModel,
  installKey,
  type StoreKind,
} from '../storage/db';
import {
  deleteDownloadRecord,
  deleteJournals,
  getDownloadRecord,
  putDownloadRecord,
} from '../storage/journalStore';
import { downloadModel } from './downloadModel';
import type { DownloadApi, DownloadProgress, DownloadResult, EngineOptions } from './types';

interface Run {
  controller: AbortController;
  listeners: Set<(progress: DownloadProgress) => void>;
  result: Promise<DownloadResult>;
  model: { id: string; version: string } | null;
}

const STORES: StoreKind[] = ['opfs-sync', 'opfs-writable', 'idb'];

export class DownloadService implements DownloadApi {
  private readonly runs = new Map<string, Run>();

  download(
    manifestUrl: string,
    options: EngineOptions = {},
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<DownloadResult> {
    const existing = this.runs.get(manifestUrl);
    if (existing) {
      if (onProgress) existing.listeners.add(onProgress);
      return existing.result;
    }
    const run: Run = {
      controller: new AbortController(),
      listeners: new Set(onProgress ? [onProgress] : []),
      result: Promise.resolve() as unknown as Promise<DownloadResult>,
      model: null,
    };
    this.runs.set(manifestUrl, run);
    run.result = this.execute(manifestUrl, options, run).finally(() =>
      this.runs.delete(manifestUrl),
    );
    return run.result;
  }

  private async execute(
    manifestUrl: string,
    options: EngineOptions,
    run: Run,
  ): Promise<DownloadResult> {
    const previous = await getDownloadRecord(manifestUrl);
    const record: DownloadRecord = {
      manifestUrl,
      id: previous?.id ?? null,
      version: previous?.version ?? null,
      state: 'active',
      error: null,
      backend: previous?.backend ?? null,
      options: { ...options },
      updatedAt: Date.now(),
    };
    // A resumed download keeps the backend its bytes are in.
    const backend = options.backend ?? record.backend ?? undefined;
    await putDownloadRecord(record);
    try {
      const manifest = await downloadModel(manifestUrl, {
        ...options,
        backend,
        signal: run.controller.signal,
        onProgress: (p) => {
          for (const listener of run.listeners) listener(p);
        },
        onManifest: (m, kind) => {
          run.model = { id: m.id, version: m.version };
          // A download cancelled before its manifest arrived must not come back.
          if (run.controller.signal.aborted) return;
          void putDownloadRecord({
            ...record,
            id: m.id,
            version: m.version,
            backend: kind,
            updatedAt: Date.now(),
          });
        },
      });
      await deleteDownloadRecord(manifestUrl);
      const stored =
        (await probeStored(manifest.id, manifest.version)) ?? backend ?? (await probeModelStore());
      return {
        id: manifest.id,
        version: manifest.version,
        bytes: manifestSize(manifest),
        backend: stored,
      };
    } catch (error) {
      const appError = AppError.from(error, 'internal');
      if (appError.code === 'cancelled' && appError.details.reason === 'cancelled-by-user') {
        await this.discard(manifestUrl, run.model);
      } else {
        const latest = (await getDownloadRecord(manifestUrl)) ?? record;
        const paused = appError.code === 'cancelled';
        await putDownloadRecord({
          ...latest,
          state: paused ? 'paused' : 'failed',
          error: paused ? null : appError.toJSON(),
          updatedAt: Date.now(),
        });
      }
      throw appError;
    }
  }

  async pause(manifestUrl: string): Promise<void> {
    await this.stop(manifestUrl, 'paused');
  }

  async cancel(manifestUrl: string): Promise<void> {
    // Forget the download before winding it down: if this worker dies meanwhile
    // (a reload, a closed tab), nothing is left that a later visit would resume.
    const record = await getDownloadRecord(manifestUrl);
    await deleteDownloadRecord(manifestUrl);
    if (!(await this.stop(manifestUrl, 'cancelled-by-user'))) {
      // Not running (paused, failed, or interrupted earlier): delete what it left.
      const model =
        record?.id && record.version ? { id: record.id, version: record.version } : null;
      await this.discard(manifestUrl, model);
    }
  }

  async remove(id: string, version: string): Promise<void> {
    await deleteInstalledModel(id, version);
    await this.deleteBytes({ id, version });
  }

  storageBackend(): Promise<StoreKind> {
    return probeModelStore();
  }

  private async stop(manifestUrl: string, reason: string): Promise<boolean> {
    const run = this.runs.get(manifestUrl);
    if (!run) return false;
    run.controller.abort(new AppError('cancelled', { manifestUrl, reason }));
    await run.result.catch(() => {});
    return true;
  }

  private async discard(manifestUrl: string, model: { id: string; version: string } | null) {
    await deleteDownloadRecord(manifestUrl);
    if (model) await this.deleteBytes(model);
  }

  private async deleteBytes({ id, version }: { id: string; version: string }) {
    await deleteJournals(installKey(id, version));
    for (const kind of STORES)
      await modelStore(kind)
        .deleteModel(id, version)
        .catch(() => {});
  }
}

async function probeStored(id: string, version: string): Promise<StoreKind | null> {
  return (await getInstalledModel(id, version))?.backend ?? null;
}
