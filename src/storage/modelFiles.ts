// Where model files live: in OPFS one file per model file, under
// `models/<id>/<version>/<path>` (both OPFS backends), or as chunk records in
// IndexedDB. `readModelFile` is the one read API, whichever backend stored it.

import { AppError } from '../core/errors';
import { isSafeRelativePath } from '../core/manifest';
import { getInstalledModel } from './db';
import { idbChunkStore } from './idbChunkStore';

const ROOT = 'models';

async function storageRoot(): Promise<FileSystemDirectoryHandle> {
  if (!navigator.storage?.getDirectory) {
    throw new AppError('storage-unavailable', { missing: 'OPFS (navigator.storage.getDirectory)' });
  }
  try {
    return await navigator.storage.getDirectory();
  } catch (error) {
    throw AppError.from(error, 'storage-unavailable', { missing: 'OPFS' });
  }
}

async function walk(parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let dir = await storageRoot();
  for (const part of parts) dir = await dir.getDirectoryHandle(part, { create });
  return dir;
}

/** The OPFS handle of one model file, optionally creating its folders. */
export async function modelFileHandle(
  id: string,
  version: string,
  path: string,
  { create = false } = {},
): Promise<FileSystemFileHandle> {
  if (!isSafeRelativePath(path)) throw new AppError('invalid-manifest', { path });
  const parts = path.split('/');
  const name = parts.pop() as string;
  try {
    const dir = await walk([ROOT, id, version, ...parts], create);
    return await dir.getFileHandle(name, { create });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotFoundError') {
      throw new AppError('model-not-installed', { id, version, path });
    }
    throw error;
  }
}

/**
 * Reads a file of an installed model as a Blob: a disk-backed File from OPFS,
 * or one assembled from IndexedDB chunk records. A model that is not installed
 * (a partial download included) is never readable.
 */
export async function readModelFile(id: string, version: string, path: string): Promise<Blob> {
  const installed = await getInstalledModel(id, version);
  if (!installed) throw new AppError('model-not-installed', { id, version, path });
  if (installed.backend === 'idb') return idbChunkStore.readFile(id, version, path);
  return readOpfsFile(id, version, path);
}

/** A stored OPFS file as a File (a Blob backed by disk, not memory). */
export async function readOpfsFile(id: string, version: string, path: string): Promise<File> {
  const handle = await modelFileHandle(id, version, path);
  return handle.getFile();
}

/** Removes every stored file of one model version; absent files are fine. */
export async function deleteModelFiles(id: string, version: string): Promise<void> {
  try {
    const dir = await walk([ROOT, id], false);
    await dir.removeEntry(version, { recursive: true });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotFoundError') return;
    throw error;
  }
}
