// Downloads one model version: fetches its manifest, resumes from the journal
// whatever is already verified on disk, checks space, runs the missing chunks,
// checks every file against its whole-file hash too (restarting once a file
// that only that hash can check), and records the model as installed last of
// all. Runs in the dedicated download worker.

import { JSON_LIMITS, parseJsonBytes, readBoundedBytes } from '../core/boundedJson';
import { planChunks } from '../core/chunkPlan';
import { emptyJournal, journalKey, journalMatches } from '../core/downloadJournal';
import { AppError, networkFailure } from '../core/errors';
import { fileDigestId, type ModelManifest, manifestSize, parseManifest } from '../core/manifest';
import { resolveModelFileUrl } from '../core/modelPaths';
import { type ProgressSnapshot, ProgressTracker } from '../core/progress';
import { canRetry, parseRetryAfter, retryDelay } from '../core/retrySchedule';
import { storageError } from '../core/storageError';
import { type HubSource, isHubSourceUrl, parseHubSourceUrl } from '../hub/hubSourceUrl';
import { modelStore, probeModelStore } from '../storage/chooseModelStore';
import { getInstalledModel, installKey, putInstalledModel, type StoreKind } from '../storage/db';
import { deleteJournals, getJournal, putJournal } from '../storage/journalStore';
import type { ModelStore } from '../storage/modelStore';
import { doneBytes, type FileState, runChunks } from './chunkScheduler';
import { type EngineOptions, type EngineSettings, engineSettings } from './engineOptions';
import { gitBlobSha1 } from './gitBlobSha1';
import { fetchHubManifest, hubFileUrl } from './hubSource';
import { salvageChunks } from './salvageChunks';
import type { DownloadProgress } from './types';
import { WholeFileHasher } from './wholeFileHasher';

export interface DownloadOptions extends EngineOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborting stops the download and keeps what is verified (pause); the reason is rethrown. */
  signal?: AbortSignal;
  /** Access token for a gated Hub repo; sent to the Hub endpoint only (never to its storage host). */
  hubToken?: string;
  /** Called once the manifest is known, before any byte of the model is fetched. */
  onManifest?: (manifest: ModelManifest, backend: StoreKind) => void;
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
export async function downloadModel(
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
  const manifest = hub
    ? await fetchHubManifest(hub, { token: options.hubToken, signal })
    : await fetchManifest(manifestUrl, signal, settings);
  const modelKey = installKey(manifest.id, manifest.version);
  const known = await getInstalledModel(manifest.id, manifest.version).catch((error: unknown) => {
    throw storageError(error, { stage: 'open' });
  });
  if (known) return manifest;
  const backend = settings.backend ?? (await probeModelStore());
  options.onManifest?.(manifest, backend);
  const store = modelStore(backend);

  const files = await openFiles(manifest, manifestUrl, store, settings, hub);
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
    const finished = new Set<FileState>();
    const restarted = new Set<FileState>();
    for (let again = true; again; ) {
      again = false;
      try {
        await runChunks(files, settings, signal, {
          onBytes: (n) => report(tracker.add(n)),
          onTrouble: (connection, trouble) => report(tracker.setTrouble(connection, trouble)),
        });
      } catch (error) {
        // Complete files are checked now, so a bad one is reset in this attempt
        // and the resume fetches it, not a later one.
        for (const state of files) {
          if (!finished.has(state) && state.journal.done.length === state.plan.chunks.length) {
            await finishFile(state).catch(() => {});
          }
        }
        throw error;
      }
      // Every file is checked even after one fails, so that each bad file is reset now
      // and the next attempt fetches all of them again.
      const failures: unknown[] = [];
      for (const state of files) {
        if (finished.has(state)) continue;
        try {
          await finishFile(state);
          finished.add(state);
        } catch (error) {
          // Bytes only the whole-file hash could check were damaged on the way
          // (they were journaled unchecked): the file was reset, fetch it once more.
          const retry = state.plan.verification === 'whole-file' && !restarted.has(state);
          if (retry && AppError.is(error, 'validation-failed')) {
            restarted.add(state);
            report(tracker.add(-state.file.size));
            again = true;
          } else failures.push(error);
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
  try {
    await putInstalledModel({
      key: modelKey,
      id: manifest.id,
      version: manifest.version,
      manifest,
      manifestUrl,
      installedAt: Date.now(),
      bytes: manifestSize(manifest),
      backend,
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
      const stored = await getJournal(journalKey(modelKey, file.path));
      let journal = stored;
      if (!stored || !journalMatches(stored, target)) {
        // Bytes on disk that no journal vouches for are stale: discard them.
        await writer.reset();
        journal = emptyJournal(target, Date.now());
        await putJournal(journal);
      }
      const state: FileState = {
        file,
        // Checked again here, against the real URL: never fetch outside the model's folder.
        url: hub ? hubFileUrl(hub, file.path) : resolveModelFileUrl(manifestUrl, file.path),
        hub: hub !== null,
        plan,
        target,
        journal: journal as NonNullable<typeof journal>,
        writer,
        hasher: null,
        generation: 0,
        changes: 0,
      };
      if (stored === journal) await salvageChunks(state);
      // Also with chunk hashes: the manifest's file hash must agree with them. Stored
      // chunks are read back and hashed again, never trusted from an earlier attempt.
      // A file known by its git blob id alone is hashed once complete (finishFile).
      if (file.sha256 !== undefined) {
        state.hasher = await WholeFileHasher.create(plan, writer, state.journal.done);
      }
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

/**
 * Checks a complete file against its whole-file hash (SHA-256, or the git blob
 * id for a small Hub file), then gives it its final size. On a mismatch the
 * file is reset (bytes, journal, hasher) and the error thrown.
 */
async function finishFile(state: FileState): Promise<void> {
  const { file } = state;
  const expected = file.sha256 ?? file.gitBlobSha1;
  const actual = state.hasher
    ? await state.hasher.digest()
    : file.gitBlobSha1 !== undefined
      ? await gitBlobSha1(file.size, (offset, length) => state.writer.read(offset, length))
      : expected;
  if (actual !== expected) {
    // We cannot tell which chunk is wrong: the whole file goes.
    await state.writer.reset();
    state.journal = emptyJournal(state.target, Date.now());
    await putJournal(state.journal);
    if (state.hasher) {
      state.hasher.close();
      state.hasher = await WholeFileHasher.create(state.plan, state.writer, []);
    }
    const details = {
      path: file.path,
      verification: state.plan.verification,
      algorithm: file.sha256 !== undefined ? 'sha256' : 'git-blob-sha1',
      expected,
      actual,
    };
    // After a change on the server, a mismatch means the server now has other bytes.
    throw new AppError(state.changes > 0 ? 'server-changed' : 'validation-failed', details);
  }
  await state.writer.finish();
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
