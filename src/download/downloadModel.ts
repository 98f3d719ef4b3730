// Downloads every file of one model version into OPFS, verifying each chunk
// as it streams past, and records the model as installed only at the very end.
// Runs in the dedicated download worker (sync access handles live there).

import { AppError } from '../core/errors';
import {
  type ManifestFile,
  type ModelManifest,
  manifestSize,
  parseManifest,
} from '../core/manifest';
import { type ProgressSnapshot, ProgressTracker } from '../core/progress';
import { installKey, putInstalledModel } from '../storage/db';
import { deleteModelFiles, modelFileHandle } from '../storage/modelFiles';
import { ChunkVerifier } from './chunkVerifier';
import { isQuotaError, openFileSink } from './fileSink';
import type { DownloadProgress } from './types';

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export async function fetchManifest(url: string, signal?: AbortSignal): Promise<ModelManifest> {
  const response = await fetchOrThrow(url, signal);
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw AppError.from(error, 'invalid-manifest', { url });
  }
  return parseManifest(json);
}

/** Fetches, verifies and installs the model described at `manifestUrl`. */
export async function downloadModel(manifestUrl: string, options: DownloadOptions = {}) {
  const { signal, onProgress } = options;
  const manifest = await fetchManifest(manifestUrl, signal);
  const total = manifestSize(manifest);
  await ensureSpace(total);

  const tracker = new ProgressTracker({ totalBytes: total });
  const report = (path: string, snapshot: ProgressSnapshot | null) => {
    if (snapshot) onProgress?.({ id: manifest.id, version: manifest.version, path, ...snapshot });
  };
  try {
    for (const file of manifest.files) {
      const url = new URL(file.path, manifestUrl).href;
      await downloadFile(manifest, file, url, signal, (n) => report(file.path, tracker.add(n)));
    }
  } catch (error) {
    // Without a journal (yet) a partial download cannot be resumed: leave nothing behind.
    await deleteModelFiles(manifest.id, manifest.version);
    if (signal?.aborted) throw new AppError('cancelled', { id: manifest.id });
    throw error;
  }
  report('', tracker.snapshot());
  await putInstalledModel({
    key: installKey(manifest.id, manifest.version),
    id: manifest.id,
    version: manifest.version,
    manifest,
    manifestUrl,
    installedAt: Date.now(),
    bytes: total,
  });
  return manifest;
}

async function downloadFile(
  manifest: ModelManifest,
  file: ManifestFile,
  url: string,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
) {
  const handle = await modelFileHandle(manifest.id, manifest.version, file.path, { create: true });
  const sink = await openFileSink(handle);
  try {
    const verifier = await ChunkVerifier.create(file);
    const response = await fetchOrThrow(url, signal);
    if (!response.body) throw new AppError('network', { url, reason: 'empty body' });
    await sink.truncate(0);
    let offset = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await readOrThrow(reader, url);
      if (done) break;
      if (offset + value.byteLength > file.size) {
        throw new AppError('validation-failed', {
          path: file.path,
          reason: 'file is longer than expected',
        });
      }
      verifier.update(value);
      await sink.write(value, offset);
      offset += value.byteLength;
      onBytes(value.byteLength);
    }
    verifier.finish();
    await sink.flush();
  } catch (error) {
    if (isQuotaError(error)) throw new AppError('insufficient-storage', { path: file.path });
    throw error;
  } finally {
    await sink.close();
  }
}

async function readOrThrow(reader: ReadableStreamDefaultReader<Uint8Array>, url: string) {
  try {
    return await reader.read();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw AppError.from(error, 'network', { url });
  }
}

async function fetchOrThrow(url: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal, cache: 'no-store' });
  } catch (error) {
    if (signal?.aborted) throw new AppError('cancelled', { url });
    // fetch() rejects with a bare TypeError for both offline and CORS failures.
    throw AppError.from(error, 'network', { url });
  }
  if (response.status === 404) throw new AppError('not-found', { url });
  if (!response.ok) throw new AppError('http-status', { url, status: response.status });
  return response;
}

async function ensureSpace(needed: number): Promise<void> {
  const estimate = await navigator.storage?.estimate?.();
  if (!estimate?.quota) return;
  const available = estimate.quota - (estimate.usage ?? 0);
  if (needed > available) throw new AppError('insufficient-storage', { needed, available });
}
