// The app's shared state as signals (screen, catalog, installed models,
// downloads) and the actions that change it. Views read signals and call
// actions; they never talk to workers or storage directly. Chat: chatState.ts.
// The download coordinator comes from the composition root (`initDownloads`).

import { computed, signal } from '@preact/signals';
import type { CatalogEntry } from '../core/catalog';
import { AppError, type AppErrorData } from '../core/errors';
import type { DownloadCoordinator, DownloadEvent } from '../download/downloadCoordinator';
import type { DownloadProgress } from '../download/types';
import { type InstalledModel, listInstalledModels } from '../storage/db';
import { listDownloadRecords } from '../storage/journalStore';
import { loadCatalog } from './catalogSource';

export type Screen = 'chat' | 'models' | 'diagnostics';

export interface ModelRow extends CatalogEntry {
  manifestUrl: string;
}

export interface DownloadState {
  progress: DownloadProgress | null;
  error: AppError | null;
  running: boolean;
  /** Stopped by the user, interrupted or failed: resumable. */
  paused: boolean;
}

export const screen = signal<Screen>('models');
export const catalog = signal<ModelRow[]>([]);
export const catalogError = signal<string | null>(null);
export const catalogOffline = signal(false);
export const installed = signal<InstalledModel[]>([]);
export const downloads = signal<Record<string, DownloadState>>({});
/** Whether the browser granted persistent storage (null: not known yet). */
export const persisted = signal<boolean | null>(null);
/** Whether this tab runs the downloads (others mirror its progress). */
export const downloadOwner = signal(false);

export async function refreshInstalled(): Promise<void> {
  installed.value = await listInstalledModels();
}

export async function refreshCatalog(): Promise<void> {
  try {
    const { catalog: data, baseUrl, offline } = await loadCatalog();
    catalog.value = data.models.map((m) => ({
      ...m,
      manifestUrl: new URL(m.manifest, baseUrl).href,
    }));
    catalogOffline.value = offline;
    catalogError.value = null;
  } catch (error) {
    catalogError.value = error instanceof Error ? error.message : String(error);
  }
}

/** Models at least this big ask the browser to keep them under storage pressure. */
const PERSIST_ABOVE_BYTES = 100 * 1000 * 1000;
let coordinator: DownloadCoordinator | null = null;

function downloadsOwner(): DownloadCoordinator {
  if (!coordinator) throw new Error('initDownloads() has not been given the download coordinator');
  return coordinator;
}
const idle: DownloadState = { progress: null, error: null, running: false, paused: false };

function setDownload(id: string, patch: Partial<DownloadState>) {
  const previous = downloads.value[id] ?? idle;
  downloads.value = { ...downloads.value, [id]: { ...previous, ...patch } };
}

function modelIdOf(url: string): string | null {
  return catalog.value.find((m) => m.manifestUrl === url)?.id ?? null;
}

function onDownloadEvent(event: DownloadEvent | { type: 'owner' }) {
  if (event.type === 'owner') {
    downloadOwner.value = true;
    return;
  }
  const id = event.type === 'progress' ? event.progress.id : modelIdOf(event.url);
  if (!id) return;
  if (event.type === 'started') setDownload(id, { running: true, paused: false, error: null });
  else if (event.type === 'progress') setDownload(id, { running: true, progress: event.progress });
  else if (event.type === 'finished') {
    setDownload(id, { running: false, paused: false });
    void refreshInstalled();
  } else {
    const error = AppError.fromData(event.error);
    const stopped = error.code === 'cancelled';
    const paused = !stopped || error.details.reason !== 'cancelled-by-user';
    setDownload(id, { running: false, paused, error: stopped ? null : error });
  }
}

/**
 * Joins the election for the downloads owner (the owner resumes interrupted
 * downloads) and shows paused or failed downloads from an earlier visit.
 */
export async function initDownloads(downloadCoordinator: DownloadCoordinator): Promise<void> {
  coordinator = downloadCoordinator;
  coordinator.subscribe(onDownloadEvent);
  coordinator.start();
  persisted.value = (await navigator.storage?.persisted?.().catch(() => null)) ?? null;
  for (const record of await listDownloadRecords().catch(() => [])) {
    const id = record.id ?? modelIdOf(record.manifestUrl);
    if (!id || record.state === 'active') continue;
    const error = record.error ? AppError.fromData(record.error as AppErrorData) : null;
    setDownload(id, { paused: true, error });
  }
}

export async function download(model: ModelRow): Promise<void> {
  setDownload(model.id, { running: true, paused: false, error: null });
  if (model.size >= PERSIST_ABOVE_BYTES) {
    // Ask the browser not to evict a large model under storage pressure.
    persisted.value = (await navigator.storage?.persist?.().catch(() => false)) ?? false;
  }
  try {
    await downloadsOwner().download(model.manifestUrl);
    await refreshInstalled();
  } catch {
    // The coordinator's events have put the error (or the pause) in the state.
  }
}

export function pause(model: ModelRow): void {
  downloadsOwner().pause(model.manifestUrl);
}

export function cancel(model: ModelRow): void {
  downloadsOwner().cancel(model.manifestUrl);
  setDownload(model.id, { ...idle });
}

/** Bytes, rate and time left over all running downloads, when there are several. */
export const overallProgress = computed(() => {
  const running = Object.values(downloads.value).filter((d) => d.running && d.progress);
  if (running.length < 2) return null;
  let done = 0;
  let total = 0;
  let rate = 0;
  for (const d of running) {
    done += d.progress?.doneBytes ?? 0;
    total += d.progress?.totalBytes ?? 0;
    rate += d.progress?.bytesPerSecond ?? 0;
  }
  const secondsLeft = rate > 0 ? (total - done) / rate : null;
  return { doneBytes: done, totalBytes: total, bytesPerSecond: rate, secondsLeft };
});
