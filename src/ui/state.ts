// The app's shared state as signals (screen, catalog, installed models,
// downloads) and the actions that change it. Views read signals and call
// actions; they never talk to workers or storage directly. Chat: chatState.ts.
// The download coordinator comes from the composition root (`initDownloads`).

import { computed, signal } from '@preact/signals';
import { isHubEntry, type ManifestCatalogEntry } from '../core/catalog';
import { AppError, type AppErrorData } from '../core/errors';
import type { DownloadWorkerClient } from '../download/client';
import type { DownloadCoordinator, DownloadEvent } from '../download/downloadCoordinator';
import type { DownloadProgress } from '../download/types';
import { type InstalledModel, listInstalledModels } from '../storage/db';
import { listDownloadRecords } from '../storage/journalStore';
import { loadCatalog } from './catalogSource';
import { hubCatalog, hubEndpoint } from './hubCatalog';

export type Screen = 'chat' | 'models' | 'diagnostics';

export interface ModelRow extends ManifestCatalogEntry {
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
export const catalogError = signal<AppError | null>(null);
export const catalogOffline = signal(false);
export const installed = signal<InstalledModel[]>([]);
export const downloads = signal<Record<string, DownloadState>>({});
/** Whether the browser granted persistent storage (null: not known yet). */
export const persisted = signal<boolean | null>(null);
/** Whether this tab runs the downloads (others mirror its progress). */
export const downloadOwner = signal(false);
/** Per model id: a re-hash running, its plain-words verdict, or a failure to check. */
export const verifications = signal<
  Record<string, { running: boolean; text: string | null; error: boolean }>
>({});

export async function refreshInstalled(): Promise<void> {
  installed.value = await listInstalledModels();
}

export async function refreshCatalog(): Promise<void> {
  try {
    const { catalog: data, baseUrl, offline, hubEndpoint: endpoint } = await loadCatalog();
    hubCatalog.value = data.models.filter(isHubEntry);
    hubEndpoint.value = endpoint;
    const manifestEntries = data.models.filter((m) => !isHubEntry(m)) as ManifestCatalogEntry[];
    catalog.value = manifestEntries.map((m) => ({
      ...m,
      manifestUrl: new URL(m.manifest, baseUrl).href,
    }));
    catalogOffline.value = offline;
    catalogError.value = null;
  } catch (error) {
    catalogError.value = AppError.from(error, 'internal');
  }
}

/** Models at least this big ask the browser to keep them under storage pressure. */
const PERSIST_ABOVE_BYTES = 100 * 1000 * 1000;
let coordinator: DownloadCoordinator | null = null;
let client: DownloadWorkerClient | null = null;

function downloadsOwner(): DownloadCoordinator {
  if (!coordinator) throw new Error('initDownloads() has not been given the download coordinator');
  return coordinator;
}

function downloadClient(): DownloadWorkerClient {
  if (!client) throw new Error('initDownloads() has not been given the download worker client');
  return client;
}
const idle: DownloadState = { progress: null, error: null, running: false, paused: false };

function setDownload(id: string, patch: Partial<DownloadState>) {
  const previous = downloads.value[id] ?? idle;
  downloads.value = { ...downloads.value, [id]: { ...previous, ...patch } };
}

/** Download sources that are not catalog rows (Hub models, src/ui/hubState.ts): URL → row id. */
const otherSources = new Map<string, string>();

export function registerDownloadSource(url: string, id: string): void {
  otherSources.set(url, id);
}

function modelIdOf(url: string): string | null {
  return otherSources.get(url) ?? catalog.value.find((m) => m.manifestUrl === url)?.id ?? null;
}

function onDownloadEvent(event: DownloadEvent | { type: 'owner' }) {
  if (event.type === 'owner') {
    downloadOwner.value = true;
    return;
  }
  const id =
    otherSources.get(event.url) ??
    (event.type === 'progress' ? event.progress.id : modelIdOf(event.url));
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
export async function initDownloads(
  downloadCoordinator: DownloadCoordinator,
  downloadWorkerClient: DownloadWorkerClient,
): Promise<void> {
  coordinator = downloadCoordinator;
  client = downloadWorkerClient;
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

function setVerification(id: string, running: boolean, text: string | null, error = false) {
  verifications.value = { ...verifications.value, [id]: { running, text, error } };
}

/** Re-hashes an installed model against its manifest; a mismatch marks it damaged. */
export async function verify(model: InstalledModel, { background = false } = {}): Promise<void> {
  if (verifications.value[model.id]?.running) return;
  setVerification(model.id, true, background ? null : 'Checking every stored byte…');
  try {
    const report = await downloadClient().verifyModel(model.id, model.version, { background });
    const text = report.damaged.length === 0 ? 'Checked: every stored byte matches.' : null;
    setVerification(model.id, false, background ? null : text);
  } catch (error) {
    const e = AppError.from(error, 'storage-unavailable');
    // A background check that was superseded or stopped says nothing.
    setVerification(model.id, false, background ? null : e.message, !background);
  }
  await refreshInstalled();
}

/**
 * Re-hashes in the background after a model loaded, when the page is idle, so
 * damage is found before the next load needs it.
 */
export function verifyWhenIdle(model: InstalledModel): void {
  const run = () => void verify(model, { background: true });
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 10_000 });
  else setTimeout(run, 2000);
}

/**
 * Repairs a damaged model: its records become a download of only the chunks
 * that no longer verify, which the downloads owner then runs like any other.
 */
export async function repair(row: ModelRow, model: InstalledModel): Promise<void> {
  setDownload(row.id, { running: true, paused: false, error: null, progress: null });
  let plan: Awaited<ReturnType<DownloadWorkerClient['prepareRepair']>>;
  try {
    plan = await downloadClient().prepareRepair(model.id, model.version);
  } catch (error) {
    setDownload(row.id, { ...idle, error: AppError.from(error, 'storage-unavailable') });
    await refreshInstalled();
    return;
  }
  await refreshInstalled();
  if (!plan) {
    setDownload(row.id, { ...idle });
    return;
  }
  // The coordinator's events put progress, the result or the error in the state.
  await downloadsOwner()
    .download(plan.manifestUrl)
    .catch(() => {});
  await refreshInstalled();
}
