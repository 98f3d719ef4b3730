// The object the download worker exposes to the page: start, join, pause,
// cancel and remove downloads; one run per manifest URL. Keeps the download's
// record in IndexedDB so the next visit can resume what was interrupted. The
// record keeps the user's settings only; the engine's test knobs come from the
// constructor, which only a test-only worker entry passes.

import { AppError } from '../core/errors';
import { manifestSize } from '../core/manifest';
import { modelStore, probeModelStore } from '../storage/chooseModelStore';
import {
  type DownloadRecord,
  deleteInstalledModel,
  getInstalledModel,
  installKey,
  type StoreKind,
  setModelDamage,
} from '../storage/db';
import {
  deleteDownloadRecord,
  getDownloadRecord,
  putDownloadRecord,
} from '../storage/downloadRecords';
import { deleteJournals } from '../storage/journalStore';
import { deriveQ4Files, derivesQ4 } from './deriveQ4Files';
import { type DownloadSettings, downloadSettingsFrom, engineOptionsFor } from './downloadSettings';
import { installModel } from './installModel';
import { prepareRepair } from './prepareRepair';
import { sweepOrphans } from './sweepOrphans';
import type {
  BeforeInstall,
  DownloadApi,
  DownloadProgress,
  DownloadResult,
  EngineOptions,
  RepairPlan,
  RepairResult,
  SweepReport,
  VerifyReport,
} from './types';
import { verifyInstalled } from './verifyInstalled';

interface Run {
  controller: AbortController;
  beforeInstall: BeforeInstall | undefined;
  listeners: Set<(progress: DownloadProgress) => void>;
  result: Promise<DownloadResult>;
  model: { id: string; version: string } | null;
}

const STORES: StoreKind[] = ['opfs-sync', 'opfs-writable', 'idb'];
/** Between chunks of a background verification: the download and the page come first. */
const BACKGROUND_PAUSE_MS = 20;

export class WorkerApi implements DownloadApi {
  private readonly runs = new Map<string, Run>();
  private readonly verifications = new Map<string, AbortController>();
  private sweep: Promise<SweepReport> | null = null;

  /** `knobs`: the engine options under the user's settings (tests and benchmarks only). */
  constructor(private readonly knobs: () => EngineOptions = () => ({})) {}

  download(
    manifestUrl: string,
    settings: DownloadSettings = {},
    onProgress?: (progress: DownloadProgress) => void,
    beforeInstall?: BeforeInstall,
  ): Promise<DownloadResult> {
    const existing = this.runs.get(manifestUrl);
    if (existing) {
      if (onProgress) existing.listeners.add(onProgress);
      return existing.result;
    }
    const run: Run = {
      controller: new AbortController(),
      beforeInstall,
      listeners: new Set(onProgress ? [onProgress] : []),
      result: Promise.resolve() as unknown as Promise<DownloadResult>,
      model: null,
    };
    this.runs.set(manifestUrl, run);
    run.result = this.execute(manifestUrl, downloadSettingsFrom(settings), run).finally(() =>
      this.runs.delete(manifestUrl),
    );
    return run.result;
  }

  private async execute(
    manifestUrl: string,
    settings: DownloadSettings,
    run: Run,
  ): Promise<DownloadResult> {
    // Never write while the orphan sweep is deciding what to delete.
    await this.sweep?.catch(() => {});
    const options = engineOptionsFor(settings, this.knobs());
    const previous = await getDownloadRecord(manifestUrl);
    const record: DownloadRecord = {
      manifestUrl,
      id: previous?.id ?? null,
      version: previous?.version ?? null,
      state: 'active',
      error: null,
      backend: previous?.backend ?? null,
      options: { ...settings },
      updatedAt: Date.now(),
    };
    // A resumed download keeps the backend its bytes are in.
    const backend = options.backend ?? record.backend ?? undefined;
    await putDownloadRecord(record);
    try {
      const manifest = await installModel(manifestUrl, {
        ...options,
        backend,
        signal: run.controller.signal,
        beforeInstall: run.beforeInstall,
        // A 4-bit model planned for wasm gets its int8 graph now, once, not at every load.
        derive: async (manifest, kind, prepared) => {
          // The page's plan comes over a message: checked like any stored setting.
          const plan =
            settings.plannedRun ??
            downloadSettingsFrom({ plannedRun: prepared?.plannedRun }).plannedRun;
          return derivesQ4(plan, kind) ? deriveQ4Files(manifest, kind) : undefined;
        },
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
    await this.cancelVerify(id, version);
    await deleteInstalledModel(id, version);
    await this.deleteBytes({ id, version });
  }

  storageBackend(): Promise<StoreKind> {
    return probeModelStore();
  }

  async verify(
    id: string,
    version: string,
    { background = false }: { background?: boolean } = {},
  ): Promise<VerifyReport> {
    const key = installKey(id, version);
    this.verifications.get(key)?.abort(new AppError('cancelled', { reason: 'superseded' }));
    const controller = new AbortController();
    this.verifications.set(key, controller);
    try {
      const model = await getInstalledModel(id, version);
      if (!model) throw new AppError('model-not-installed', { id, version });
      const damaged = await verifyInstalled(model, {
        signal: controller.signal,
        pauseMs: background ? BACKGROUND_PAUSE_MS : 0,
      });
      const damage =
        damaged.length > 0
          ? { files: damaged, foundBy: 'verify' as const, foundAt: Date.now() }
          : null;
      await setModelDamage(id, version, damage);
      return { id, version, damaged };
    } finally {
      if (this.verifications.get(key) === controller) this.verifications.delete(key);
    }
  }

  async cancelVerify(id: string, version: string): Promise<void> {
    this.verifications
      .get(installKey(id, version))
      ?.abort(new AppError('cancelled', { reason: 'cancelled-by-user' }));
  }

  async prepareRepair(
    id: string,
    version: string,
    settings: DownloadSettings = {},
  ): Promise<RepairPlan | null> {
    await this.cancelVerify(id, version);
    await this.sweep?.catch(() => {});
    return prepareRepair(id, version, engineOptionsFor(settings, this.knobs()));
  }

  async repair(
    id: string,
    version: string,
    settings: DownloadSettings = {},
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<RepairResult> {
    const plan = await this.prepareRepair(id, version, settings);
    if (!plan) return { damaged: [], result: null };
    const result = await this.download(plan.manifestUrl, settings, onProgress);
    return { damaged: plan.damaged, result };
  }

  sweepOrphans(): Promise<SweepReport> {
    this.sweep ??= sweepOrphans(() =>
      [...this.runs.values()].flatMap((r) =>
        r.model ? [installKey(r.model.id, r.model.version)] : [],
      ),
    );
    return this.sweep;
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
