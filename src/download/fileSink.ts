// Writes downloaded bytes into an OPFS file at given offsets. Dedicated workers
// get a sync access handle (fast, every browser since Safari 15.2); where that
// is missing we fall back to a writable stream.

import { AppError } from '../core/errors';

export interface FileSink {
  readonly kind: 'sync-access-handle' | 'writable-stream';
  write(bytes: Uint8Array, offset: number): Promise<void>;
  truncate(size: number): Promise<void>;
  /** Makes written bytes durable; call before recording them as done. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function openFileSink(handle: FileSystemFileHandle): Promise<FileSink> {
  if ('createSyncAccessHandle' in handle) {
    try {
      return syncSink(await handle.createSyncAccessHandle());
    } catch (error) {
      // Another context holds the file open: that is a second writer, not a missing API.
      if (error instanceof DOMException && error.name === 'NoModificationAllowedError') throw error;
    }
  }
  if ('createWritable' in handle)
    return writableSink(await handle.createWritable({ keepExistingData: true }));
  throw new AppError('storage-unavailable', { missing: 'OPFS file writing' });
}

function syncSink(access: FileSystemSyncAccessHandle): FileSink {
  return {
    kind: 'sync-access-handle',
    async write(bytes, offset) {
      let done = 0;
      // A sync handle may write fewer bytes than asked (e.g. at the quota edge).
      while (done < bytes.byteLength) {
        const n = access.write(bytes.subarray(done), { at: offset + done });
        if (n <= 0) throw new DOMException('short write', 'QuotaExceededError');
        done += n;
      }
    },
    async truncate(size) {
      access.truncate(size);
    },
    async flush() {
      access.flush();
    },
    async close() {
      access.close();
    },
  };
}

function writableSink(stream: FileSystemWritableFileStream): FileSink {
  return {
    kind: 'writable-stream',
    async write(bytes, offset) {
      await stream.write({
        type: 'write',
        position: offset,
        data: bytes as Uint8Array<ArrayBuffer>,
      });
    },
    async truncate(size) {
      await stream.truncate(size);
    },
    // A writable stream only commits on close; flushing is part of close().
    async flush() {},
    async close() {
      await stream.close();
    },
  };
}

export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}
