// Where model files live: in OPFS one file per model file, under
// `models/<id>/<version>/<path>` (both OPFS backends), or as chunk records in
// IndexedDB. `readModelFile` is the one read API, whichever backend stored it.

import { AppError } from '../core/errors';
import { getInstalledModel } from './db';
import { idbChunkStore } from './idbChunkStore';
import { checkedFile } from './modelDamage';
import { MODELS_DIR, modelFileHandle, removeEntryWhenReleased, walk } from './opfsPaths';

export { modelFileHandle };

/**
 * Reads a file of an installed model as a Blob: a disk-backed File from OPFS,
 * or one assembled from IndexedDB chunk records. A model that is not installed
 * (a partial download included) is never readable, nor is a file of the wrong
 * size (`model-damaged`).
 */
export async function readModelFile(id: string, version: string, path: string): Promise<Blob> {
  const installed = await getInstalledModel(id, version);
  if (!installed) throw new AppError('model-not-installed', { id, version, path });
  // Every read checks the file's size, so a damaged model fails with `model-damaged`.
  return checkedFile(installed, path, () =>
    installed.backend === 'idb'
      ? idbChunkStore.readFile(id, version, path)
      : readOpfsFile(id, version, path),
  );
}

/** A stored OPFS file as a File (a Blob backed by disk, not memory). */
export async function readOpfsFile(id: string, version: string, path: string): Promise<File> {
  const handle = await modelFileHandle(id, version, path);
  return handle.getFile();
}

/** Removes every stored file of one model version; absent files are fine. */
export async function deleteModelFiles(id: string, version: string): Promise<void> {
  try {
    const dir = await walk([MODELS_DIR, id], false);
    await removeEntryWhenReleased(dir, version);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotFoundError') return;
    throw error;
  }
}
