// Where model files live in OPFS: `models/<id>/<version>/<path>`. Handles only;
// reading and writing are the stores' business.

import { AppError } from '../core/errors';
import { isSafeRelativePath } from '../core/manifest';

export const MODELS_DIR = 'models';

export async function storageRoot(): Promise<FileSystemDirectoryHandle> {
  if (!navigator.storage?.getDirectory) {
    throw new AppError('storage-unavailable', { missing: 'OPFS (navigator.storage.getDirectory)' });
  }
  try {
    return await navigator.storage.getDirectory();
  } catch (error) {
    throw AppError.from(error, 'storage-unavailable', { missing: 'OPFS' });
  }
}

export async function walk(parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
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
    const dir = await walk([MODELS_DIR, id, version, ...parts], create);
    return await dir.getFileHandle(name, { create });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotFoundError') {
      throw new AppError('model-not-installed', { id, version, path });
    }
    throw error;
  }
}

/**
 * Removes `name` (recursively) from `dir`. A worker the browser just ended (a
 * reload mid-download) releases its file handles a moment later, so a locked
 * entry is tried again for up to 3 s, as opening a file does
 * (`opfsSyncStore.ts`). An entry already gone counts as removed.
 */
export async function removeEntryWhenReleased(
  dir: FileSystemDirectoryHandle,
  name: string,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await dir.removeEntry(name, { recursive: true });
    } catch (error) {
      const kind = error instanceof DOMException ? error.name : '';
      if (kind === 'NotFoundError') return;
      const locked = kind === 'NoModificationAllowedError' || kind === 'InvalidModificationError';
      if (!locked || attempt >= 30) throw error;
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }
}
