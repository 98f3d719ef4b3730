// Opens a stored model's ONNX external data for onnxruntime-web: from OPFS as
// FileBackedBytes (read tensor by tensor, no JS copy of the weights), elsewhere
// (IndexedDB chunks, no sync access handles) as the stored Blob, which
// onnxruntime reads into one ArrayBuffer. Close it once the session exists.

import type { ExternalDataFile } from '../../core/onnxExternalData';
import type { InstalledModel } from '../../storage/db';
import { modelFileHandle, readModelFile } from '../../storage/modelFiles';
import { FileBackedBytes, type SyncFileReader } from './fileBackedBytes';

export interface ExternalDataEntry {
  /** The name the graph refers to the file by. */
  path: string;
  data: Uint8Array | Blob;
}

export interface ExternalDataUsage {
  fromDiskBytes: number;
  inMemoryBytes: number;
}

export interface OpenedExternalData {
  entries: ExternalDataEntry[];
  /** Where the bytes came from so far: read from disk range by range, or Blobs read whole. */
  usage(): ExternalDataUsage;
  /** Releases the sync access handles; the entries are unusable afterwards. */
  close(): void;
}

type SyncOpener = (options?: { mode?: string }) => Promise<SyncFileReader>;

/** Read-only where the browser knows the mode (several readers may share a file); else exclusive. */
async function openReadOnly(handle: FileSystemFileHandle): Promise<SyncFileReader | null> {
  const open = (handle as unknown as { createSyncAccessHandle?: SyncOpener })
    .createSyncAccessHandle;
  if (typeof open !== 'function') return null;
  try {
    return await open.call(handle, { mode: 'read-only' });
  } catch (error) {
    // Locked by a writer (a repair in progress) or not allowed here: the Blob path still works.
    if (error instanceof DOMException) return null;
    throw error;
  }
}

export async function openExternalData(
  model: InstalledModel,
  files: readonly ExternalDataFile[],
): Promise<OpenedExternalData> {
  const handles: SyncFileReader[] = [];
  const close = () => {
    for (const h of handles.splice(0)) h.close();
  };
  try {
    const entries: ExternalDataEntry[] = [];
    for (const file of files) {
      // A file the manifest does not list is read as it is, as readModelFile does.
      const expected = model.manifest.files.find((f) => f.path === file.path)?.size;
      const access =
        model.backend !== 'idb'
          ? await openReadOnly(await modelFileHandle(model.id, model.version, file.path))
          : null;
      const size = access?.getSize();
      if (access && size !== undefined && (expected === undefined || size === expected)) {
        handles.push(access);
        entries.push({ path: file.mountAs, data: new FileBackedBytes(access, size) });
        continue;
      }
      access?.close();
      // readModelFile checks the size and reports damage as `model-damaged`.
      entries.push({
        path: file.mountAs,
        data: await readModelFile(model.id, model.version, file.path),
      });
    }
    const usage = () => {
      let fromDiskBytes = 0;
      let inMemoryBytes = 0;
      for (const { data } of entries) {
        if (data instanceof FileBackedBytes) fromDiskBytes += data.bytesRead;
        else inMemoryBytes += data instanceof Blob ? data.size : data.byteLength;
      }
      return { fromDiskBytes, inMemoryBytes };
    };
    return { entries, usage, close };
  } catch (error) {
    close();
    throw error;
  }
}
