// OPFS through createWritable, for contexts without sync access handles. A
// writable stream only reaches the file when it closes, so each verified chunk
// is written and committed on its own before it may be journaled; commits of
// one file are serialised because each close replaces the whole file.

import { deleteModelFiles, modelFileHandle, readOpfsFile } from './modelFiles';
import { chunkBytes, type ModelStore, type StoredFileWriter } from './modelStore';

export const opfsWritableStore: ModelStore = {
  kind: 'opfs-writable',
  async openFile({ id, version, path, size }) {
    return writableWriter(await modelFileHandle(id, version, path, { create: true }), size);
  },
  readFile: readOpfsFile,
  deleteModel: deleteModelFiles,
};

function writableWriter(handle: FileSystemFileHandle, size: number): StoredFileWriter {
  let queue: Promise<unknown> = Promise.resolve();
  // One commit at a time per file; a failed one must not block the next.
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };
  const edit = (
    keepExistingData: boolean,
    change: (w: FileSystemWritableFileStream) => Promise<void>,
  ) =>
    serial(async () => {
      const stream = await handle.createWritable({ keepExistingData });
      try {
        await change(stream);
        await stream.close();
      } catch (error) {
        await stream.abort().catch(() => {});
        throw error;
      }
    });
  return {
    streams: false,
    write() {
      throw new Error('the writable-stream backend takes whole chunks');
    },
    commitChunk: (offset, bytes) =>
      edit(true, (w) =>
        w.write({
          type: 'write',
          position: offset,
          data: chunkBytes(bytes, 'opfs-writable') as Uint8Array<ArrayBuffer>,
        }),
      ),
    // In the same queue as commits: a close swaps the file under a reader's feet.
    read: (offset, length) =>
      serial(async () => {
        const file = await handle.getFile();
        return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
      }),
    readInto: (target, offset) =>
      serial(async () => {
        const file = await handle.getFile();
        const bytes = await file.slice(offset, offset + target.byteLength).arrayBuffer();
        target.set(new Uint8Array(bytes));
        return bytes.byteLength;
      }),
    reset: () => edit(false, async () => {}),
    finish: () => edit(true, (w) => w.truncate(size)),
    async close() {
      await queue;
    },
  };
}
