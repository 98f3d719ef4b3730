// OPFS through sync access handles: the fastest writer (bytes go to disk as they
// arrive, ENVIRONMENT.md), available only in dedicated workers.

import { deleteModelFiles, modelFileHandle, readOpfsFile } from './modelFiles';
import type { ModelStore, StoredFileWriter } from './modelStore';

export const opfsSyncStore: ModelStore = {
  kind: 'opfs-sync',
  async openFile({ id, version, path, size }) {
    const handle = await modelFileHandle(id, version, path, { create: true });
    return syncWriter(await openSyncHandle(handle), size);
  },
  readFile: readOpfsFile,
  deleteModel: deleteModelFiles,
};

/**
 * A worker the browser killed releases its handles a moment later; a new
 * worker that asks at once meets NoModificationAllowedError, so it waits a bit.
 */
async function openSyncHandle(handle: FileSystemFileHandle): Promise<FileSystemSyncAccessHandle> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await handle.createSyncAccessHandle();
    } catch (error) {
      const locked = error instanceof DOMException && error.name === 'NoModificationAllowedError';
      if (!locked || attempt >= 30) throw error;
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }
}

function syncWriter(access: FileSystemSyncAccessHandle, size: number): StoredFileWriter {
  return {
    streams: true,
    write(bytes, offset) {
      let done = 0;
      // A sync handle may write fewer bytes than asked (at the quota edge).
      while (done < bytes.byteLength) {
        const n = access.write(bytes.subarray(done), { at: offset + done });
        if (n <= 0) throw new DOMException('short write', 'QuotaExceededError');
        done += n;
      }
    },
    async commitChunk() {
      access.flush();
    },
    async readInto(target, offset) {
      let done = 0;
      // Like writes, a read may return fewer bytes than asked; 0 means the end of the file.
      while (done < target.byteLength) {
        const n = access.read(target.subarray(done), { at: offset + done });
        if (n <= 0) break;
        done += n;
      }
      return done;
    },
    async read(offset, length) {
      const buffer = new Uint8Array(length);
      const n = access.read(buffer, { at: offset });
      if (n !== length) throw new DOMException(`read ${n} of ${length} bytes`, 'NotReadableError');
      return buffer;
    },
    async reset() {
      access.truncate(0);
      access.flush();
    },
    async finish() {
      access.truncate(size);
      access.flush();
    },
    async close() {
      access.close();
    },
  };
}
