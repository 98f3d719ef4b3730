// Downloads one model version: fetches its manifest, resumes from the journal
// whatever is already verified on disk, checks space, runs the missing chunks,
// checks every file against its whole-file hash too (restarting once a file
// that only that hash can check), lets the page keep its runtime for offline
// use (`beforeInstall`), and records the model as installed last of all. Runs
// in the dedicated download worker.

import { JSON_LIMITS, parseJsonBytes, readBoundedBytes } from '../core/boundedJson';
import { planChunks } from '../core/chunkPlan';
import { type DerivedRecord, derivedBytes } from '../core/derivedFiles';
import { journalKey } from '../core/downloadJournal';
import { AppError, networkFailure } from '../core/errors';
import { initialState } from '../core/journalMachine';
import { fileDigestId, type ModelManifest, manifestSize, parseManifest } from '../core/manifest';
import { resolveModelFileUrl } from '../core/modelPaths';
import { type ProgressSnapshot, ProgressTracker } from '../core/progress';
import { canRetry, parseRetryAfter, retryDelay } from '../core/retrySchedule';
import { storageError } from '../core/storageError';
import { type HubSource, isHubSourceUrl, parseHubSourceUrl } from '../hub/hubSourceUrl';
import { modelStore, probeModelStore } from '../storage/chooseModelStore';
import { getInstalledModel, installKey, putInstalledModel, type StoreKind } from '../storage/db';
import { readHubToken } from '../storage/hubTokenStore';
import { deleteJournals, getJournal } from '../storage/journalStore';
import type { ModelStore } from '../storage/modelStore';
import { doneBytes, type FileState, runChunks } from './chunkScheduler';
import { type EngineOptions, type EngineSettings, engineSettings } from './engineOptions';
import { fetchHubManifest, hubFileUrl } from './hubSource';
import { checkFile, stepJournal } from './stepJournal';
import type { BeforeInstall, DownloadProgress, InstallPreparation } from './types';

export interface DownloadOptions extends EngineOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborting stops the download and keeps what is verified (pause); the reason is rethrown. */
  signal?: AbortSignal;
  /** Access token for a gated Hub repo; sent to the Hub endpoint only (never to its storage host). */
  hubToken?: string;
  /** Called once the manifest is known, before any byte of the model is fetched. */
  onManifest?: (manifest: ModelManifest, backend: StoreKind) => void;
  /** Called once every file is verified; the model is recorded as installed only if it resolves. */
  beforeInstall?: BeforeInstall;
  /**
   * Makes files from the verified download (see deriveQ4Files), after
   * `beforeInstall`; recorded with the install. It must not throw: a failure is
   * part of what it returns, and the model installs without them.
   */
  derive?: (
    manifest: ModelManifest,
    backend: StoreKind,
    prepared: InstallPreparation | undefined,
  ) => Promise<DerivedRecord | undefined>;
}

/**
 * Fetches and checks the manifest, with the same stall timeout and retries as
 * chunks: a manifest cut off or stalled mid-body is fetched again.
 */
export async function fetchManifest(
  url: string,
  signal: AbortSignal = new AbortController().signal,
  settings: EngineSettings = engineSettings(),
): Promise<ModelManifest> {
  for (let failures = 0; ; ) {
    let retryAfterMs: number | null = null;
    let error: AppError;
    try {
      const text = await fetchText(url, signal, settings.stallTimeoutMs);
      if (text.kind === 'ok') {
        let json: unknown;
        try {
          json = parseJsonBytes(text.body, 'invalid-manifest', { url });
        } catch (cause) {
          // Bytes damaged on the way (the manifest has no hash of its own): fetch it again.
          json = cause;
        }
        if (!(json instanceof AppError)) return parseManifest(json, { url });
        error = json;
      } else {
        if (text.status === 404 || text.status === 410) throw new AppError('not-found', { url });
        error = new AppError('http-status', { url, status: text.status });
        if (!(text.status === 408 || text.status === 429 || text.status >= 500)) throw error;
        retryAfterMs = text.retryAfterMs;
      }
    } catch (caught) {
      if (signal.aborted) throw signal.reason;
      if (AppError.is(caught) && caught.code !== 'network') throw caught;
      error = networkFailure(caught, { url });
      if (error.code === 'internal') throw error;
    }
    failures++;
    if (!canRetry(failures, settings.retry)) throw error;
    await new Promise((wake) =>
      setTimeout(wake, retryDelay(failures, settings.retry, { retryAfterMs })),
    );
  }
}

type TextReply =
  | { kind: 'ok'; body: Uint8Array }
  | { kind: 'status'; status: number; retryAfterMs: number | null };

async function fetchText(url: string, signal: AbortSignal, stallMs: number): Promise<TextReply> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), stallMs);
  };
  try {
    arm();
    const response = await fetch(url, { signal: controller.signal, cache: 'no-store' });
    if (!response.ok) {
      void response.body?.cancel().catch(() => {});
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return { kind: 'status', status: response.status, retryAfterMs };
    }
    const declared = response.headers.get('content-length');
    // An endless or huge body is cut at the cap: a typed error, not a tab out of memory.
    const body = await readBoundedBytes(response.body, declared, {
      limit: JSON_LIMITS.manifest,
      code: 'invalid-manifest',
      details: { url, what: 'manifest' },
      onRead: arm,
    });
    if (declared !== null && Number(declared) !== body.byteLength) {
      throw new AppError('network', { url, reason: 'truncated', received: body.byteLength });
    }
    return { kind: 'ok', body };
  } catch (error) {
    // Cancelling the body alone leaves Chromium's connection open (measured): abort the request.
    controller.abort();
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }
}

/** Fetches, verifies and installs the model described at `manifestUrl`; resumes a partial one. */
export async function installModel(
  manifestUrl: string,
  options: DownloadOptions = {},
): Promise<ModelManifest> {
  const settings = engineSettings(options);
  const signal = options.signal ?? new AbortController().signal;
  // A Hub source has no manifest file: it is built from the listing pinned to its commit.
  const hub = parseHubSourceUrl(manifestUrl);
  if (!hub && isHubSourceUrl(manifestUrl)) {
    throw new AppError('invalid-manifest', {
      url: manifestUrl,
      problems: ['not a valid Hub source'],
    });
  }
  // The token the user saved on this device unlocks gated repos (sent to the Hub only).
  const token = hub ? (options.hubToken ?? (await savedHubToken())) : undefined;
  const manifest = hub
    ? await fetchHubManifest(hub, { token, signal })
    : await fetchManifest(manifestUrl, signal, settings);
  const modelKey = installKey(manifest.id, manifest.version);
  const known = await getInstalledModel(manifest.id, manifest.version).catch((error: unknown) => {
    throw storageError(error, { stage: 'open' });
  });
  if (known) return manifest;
  const backend = settings.backend ?? (await probeModelStore());
  options.onManifest?.(manifest, backend);
  const store = modelStore(backend);

  const files = await openFiles(manifest, manifestUrl, store, settings, hub, token);
  try {
    const total = manifestSize(manifest);
    const already = files.reduce((sum, f) => sum + doneBytes(f), 0);
    await ensureSpace(total - already);

    const tracker = new ProgressTracker({
      totalBytes: total,
      doneBytes: already,
      intervalMs: settings.progressIntervalMs,
    });
    const report = (snapshot: ProgressSnapshot | null) => {
      if (snapshot)
        options.onProgress?.({ id: manifest.id, version: manifest.version, path: '', ...snapshot });
    };
    report(tracker.snapshot());
    for (let again = true; again; ) {
      again = false;
      try {
        await runChunks(files, settings, signal, {
          onBytes: (n) => report(tracker.add(n)),
          onTrouble: (connection, trouble) => report(tracker.setTrouble(connection, trouble)),
        });
      } catch (error) {
        // Paused or failed: what is verified stays journaled (complete files are checked now).
        for (const state of files) await stepJournal(state, { type: 'stopped' }).catch(() => {});
        throw error;
      }
      // Every file is checked even after one fails, so that each bad file is reset now
      // and the next attempt fetches all of them again.
      const failures: unknown[] = [];
      for (const state of files) {
        if (state.finished) continue;
        try {
          const step = await checkFile(state);
          if (step.retry) {
            // The file was reset: fetch it once more.
            report(tracker.add(-state.file.size));
            again = true;
          } else if (step.error) failures.push(step.error);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    }
    report(tracker.snapshot());
  } catch (error) {
    if (AppError.is(error, 'insufficient-storage')) throw await withSpace(error, manifest, files);
    throw error;
  } finally {
    for (const f of files) f.hasher?.close();
    await Promise.all(files.map((f) => f.writer.close().catch(() => {})));
  }
  // An installed model must run offline: its runtime is cached first. A failure
  // here keeps the verified files and journals, so a retry only asks again.
  const prepared = await options.beforeInstall?.(manifest);
  const derived = await options.derive?.(manifest, backend, prepared);
  try {
    await putInstalledModel({
      key: modelKey,
      id: manifest.id,
      version: manifest.version,
      manifest,
      manifestUrl,
      installedAt: Date.now(),
      // What the model takes on disk: its download and what was derived from it.
      bytes: manifestSize(manifest) + derivedBytes(derived),
      backend,
      ...(derived ? { derived } : {}),
      ...(hub
        ? {
            hub: {
              endpoint: hub.endpoint,
              repo: hub.repo,
              revision: hub.revision ?? hub.commit,
              commit: hub.commit,
              dtype: hub.dtype,
            },
          }
        : {}),
    });
    await deleteJournals(modelKey);
  } catch (error) {
    throw storageError(error, { stage: 'install' });
  }
  return manifest;
}

/** Opens every file for writing; a journal that does not describe the same bytes means a fresh start. */
async function openFiles(
  manifest: ModelManifest,
  manifestUrl: string,
  store: ModelStore,
  settings: ReturnType<typeof engineSettings>,
  hub: HubSource | null,
  token: string | undefined,
): Promise<FileState[]> {
  const modelKey = installKey(manifest.id, manifest.version);
  const files: FileState[] = [];
  try {
    for (const file of manifest.files) {
      const plan = planChunks(file, settings);
      const target = {
        modelKey,
        path: file.path,
        size: file.size,
        sha256: fileDigestId(file),
        plan,
        backend: store.kind,
      };
      const writer = await store.openFile({
        id: manifest.id,
        version: manifest.version,
        path: file.path,
        size: file.size,
      });
      const state: FileState = {
        ...initialState({ target, now: Date.now() }),
        file,
        // Checked again here, against the real URL: never fetch outside the model's folder.
        url: hub ? hubFileUrl(hub, file.path) : resolveModelFileUrl(manifestUrl, file.path),
        hub: hub !== null,
        token,
        plan,
        target,
        writer,
        hasher: null,
        generation: 0,
      };
      // Resumes a journal that describes the same bytes, else starts the file over. Also
      // with chunk hashes the whole-file hasher starts: the manifest's file hash must agree
      // with them. Stored chunks are read back and hashed again, never trusted.
      await stepJournal(state, {
        type: 'opened',
        stored: await getJournal(journalKey(modelKey, file.path)),
      });
      files.push(state);
    }
  } catch (error) {
    for (const f of files) f.hasher?.close();
    await Promise.all(files.map((f) => f.writer.close().catch(() => {})));
    // Opening files and reading journals only touches storage (OPFS, IndexedDB).
    throw storageError(error, { stage: 'open' });
  }
  return files;
}

/** The Hub token saved on this device, if any (a storage failure reads as none). */
async function savedHubToken(): Promise<string | undefined> {
  return (await readHubToken().catch(() => null)) ?? undefined;
}

async function ensureSpace(needed: number): Promise<void> {
  const available = await availableBytes();
  if (available !== null && needed > available) {
    throw new AppError('insufficient-storage', { needed, available });
  }
}

async function availableBytes(): Promise<number | null> {
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  if (!estimate?.quota) return null;
  return Math.max(0, estimate.quota - (estimate.usage ?? 0));
}

/** A quota error met mid-download, with needed vs available like the up-front check. */
async function withSpace(error: AppError, manifest: ModelManifest, files: FileState[]) {
  const needed = manifestSize(manifest) - files.reduce((sum, f) => sum + doneBytes(f), 0);
  return new AppError('insufficient-storage', {
    ...error.details,
    needed,
    available: await availableBytes(),
  });
}
