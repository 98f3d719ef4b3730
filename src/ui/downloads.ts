// Downloads as the Models screen shows them (progress, paused, errors, which
// tab runs them) and the actions on them: Download, Pause, Cancel, Repair.
// A download the connection broke resumes by itself: on the `online` event,
// and with backoff (the browser's online flag misses many outages).
// The download coordinator comes from the composition root (`initDownloads`).

import { computed, signal } from '@preact/signals';
import { AppError, type AppErrorData } from '../core/errors';
import { forwardProgress } from '../core/forwardProgress';
import { reconnectable } from '../core/reconnectable';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../core/retrySchedule';
import type { DownloadWorkerClient } from '../download/downloadWorkerClient';
import type { DownloadEvent, TabCoordinator } from '../download/tabCoordinator';
import type { DownloadProgress } from '../download/types';
import type { InstalledModel } from '../storage/db';
import { listDownloadRecords } from '../storage/downloadRecords';
import { catalog, type ModelRow, modelIdOf } from './catalogState';
import { refreshInstalled } from './installedModels';
import { readPersisted, requestPersistence } from './persistence';

export interface DownloadState {
  progress: DownloadProgress | null;
  error: AppError | null;
  running: boolean;
  /** Stopped by the user, interrupted or failed: resumable. */
  paused: boolean;
  /** The connection broke: the app resumes it by itself ("Reconnecting…"). */
  reconnecting: boolean;
}

export const downloads = signal<Record<string, DownloadState>>({});
/** Whether this tab runs the downloads (others mirror its progress). */
export const downloadOwner = signal(false);

/** Models at least this big ask the browser to keep them under storage pressure. */
const PERSIST_ABOVE_BYTES = 100 * 1000 * 1000;
let coordinator: TabCoordinator | null = null;
let client: DownloadWorkerClient | null = null;

function downloadsOwner(): TabCoordinator {
  if (!coordinator) throw new Error('initDownloads() has not been given the download coordinator');
  return coordinator;
}

function downloadClient(): DownloadWorkerClient {
  if (!client) throw new Error('initDownloads() has not been given the download worker client');
  return client;
}
const idle: DownloadState = {
  progress: null,
  error: null,
  running: false,
  paused: false,
  reconnecting: false,
};
/** Per model id: the pending automatic resume and how many were tried in a row. */
const reconnects = new Map<
  string,
  { timer: ReturnType<typeof setTimeout> | null; tries: number }
>();

function setDownload(id: string, patch: Partial<DownloadState>) {
  const previous = downloads.value[id] ?? idle;
  downloads.value = { ...downloads.value, [id]: { ...previous, ...patch } };
}

function onDownloadEvent(event: DownloadEvent | { type: 'owner' }) {
  if (event.type === 'owner') {
    downloadOwner.value = true;
    return;
  }
  // The row the URL belongs to (a Hub model's id is not its manifest's), else the manifest's id.
  const id = modelIdOf(event.url) ?? (event.type === 'progress' ? event.progress.id : null);
  if (!id) return;
  if (event.type === 'started') setDownload(id, { running: true, paused: false, error: null });
  else if (event.type === 'progress') {
    const progress = forwardProgress(downloads.value[id]?.progress, event.progress);
    setDownload(id, { running: true, reconnecting: false, progress });
    // Bytes arrived: the connection is back, so the next outage starts its backoff afresh.
    if (event.progress.bytesPerSecond > 0) reconnects.delete(id);
  } else if (event.type === 'finished') {
    stopReconnecting(id);
    setDownload(id, { running: false, paused: false, reconnecting: false });
    void refreshInstalled();
  } else {
    const error = AppError.fromData(event.error);
    const stopped = error.code === 'cancelled';
    const paused = !stopped || error.details.reason !== 'cancelled-by-user';
    const reconnecting = !stopped && reconnectable(error) && downloadOwner.value;
    setDownload(id, { running: false, paused, reconnecting, error: stopped ? null : error });
    if (reconnecting) scheduleReconnect(id);
  }
}

function stopReconnecting(id: string): void {
  const pending = reconnects.get(id);
  if (pending?.timer) clearTimeout(pending.timer);
  reconnects.delete(id);
}

function scheduleReconnect(id: string): void {
  const pending = reconnects.get(id) ?? { timer: null, tries: 0 };
  if (pending.timer) clearTimeout(pending.timer);
  pending.tries += 1;
  const delay = retryDelay(pending.tries, { ...DEFAULT_RETRY_POLICY, maxDelayMs: 60_000 });
  pending.timer = setTimeout(() => reconnectNow(id), delay);
  reconnects.set(id, pending);
}

function reconnectNow(id: string): void {
  const pending = reconnects.get(id);
  if (pending?.timer) clearTimeout(pending.timer);
  if (pending) pending.timer = null;
  const row = catalog.value.find((m) => m.id === id);
  if (row && downloads.value[id]?.reconnecting) void download(row, { reconnecting: true });
}

/**
 * Joins the election for the downloads owner (the owner resumes interrupted
 * downloads) and shows paused or failed downloads from an earlier visit.
 */
export async function initDownloads(
  downloadCoordinator: TabCoordinator,
  downloadWorkerClient: DownloadWorkerClient,
): Promise<void> {
  coordinator = downloadCoordinator;
  client = downloadWorkerClient;
  coordinator.subscribe(onDownloadEvent);
  coordinator.start();
  // The network is back: every download waiting to reconnect tries now.
  addEventListener('online', () => {
    for (const [id, state] of Object.entries(downloads.value))
      if (state.reconnecting) reconnectNow(id);
  });
  await readPersisted();
  for (const record of await listDownloadRecords().catch(() => [])) {
    const id = record.id ?? modelIdOf(record.manifestUrl);
    if (!id || record.state === 'active') continue;
    const error = record.error ? AppError.fromData(record.error as AppErrorData) : null;
    setDownload(id, { paused: true, error });
  }
}

export async function download(model: ModelRow, { reconnecting = false } = {}): Promise<void> {
  if (!reconnecting) stopReconnecting(model.id);
  setDownload(model.id, { running: true, paused: false, error: null, reconnecting });
  if (!reconnecting && model.size >= PERSIST_ABOVE_BYTES) {
    // Ask the browser not to evict a large model under storage pressure.
    await requestPersistence();
  }
  try {
    await downloadsOwner().download(model.manifestUrl);
    await refreshInstalled();
  } catch {
    // The coordinator's events have put the error (or the pause) in the state.
  }
}

export function pause(model: ModelRow): void {
  stopReconnecting(model.id);
  downloadsOwner().pause(model.manifestUrl);
}

export function cancel(model: ModelRow): void {
  stopReconnecting(model.id);
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
