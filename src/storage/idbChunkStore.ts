// IndexedDB as the model store where OPFS is missing or fails (private windows,
// some WebKit builds): one record per verified chunk, keyed by file and offset.
// Reading assembles a Blob chunk by chunk, never one big buffer.

import { journalKey } from '../core/downloadJournal';
import { AppError } from '../core/errors';
import { installKey, openAppDb } from './db';
import { chunkBytes, type ModelStore, type StoredFileWriter } from './modelStore';

const fileRange = (file: string) => IDBKeyRange.bound([file, 0], [file, Number.MAX_SAFE_INTEGER]);

export const idbChunkStore: ModelStore = {
  kind: 'idb',
  async openFile({ id, version, path }) {
    return idbWriter(journalKey(installKey(id, version), path));
  },
  readFile: readIdbFile,
  async deleteModel(id, version) {
    const prefix = `${installKey(id, version)}/`;
    const db = await openAppDb();
    // Keys sort by file name first, so one range covers every file of the model.
    await db.delete(
      'chunks',
      IDBKeyRange.bound([prefix, 0], [`${prefix}\uffff`, Number.MAX_SAFE_INTEGER]),
    );
  },
};

function idbWriter(file: string): StoredFileWriter {
  return {
    streams: false,
    write() {
      throw new Error('the IndexedDB backend takes whole chunks');
    },
    async commitChunk(offset, bytes) {
      // A copy: the engine reuses its chunk buffer for the next chunk.
      const copy = chunkBytes(bytes, 'idb').slice().buffer as ArrayBuffer;
      await (await openAppDb()).put('chunks', { file, offset, bytes: copy });
    },
    async read(offset, length) {
      const record = await (await openAppDb()).get('chunks', [file, offset]);
      if (!record || record.bytes.byteLength !== length) {
        throw new AppError('model-not-installed', { file, offset, reason: 'chunk missing' });
      }
      return new Uint8Array(record.bytes);
    },
    async readInto(target, offset) {
      // Only whole chunks are stored: one record, or nothing.
      const record = await (await openAppDb()).get('chunks', [file, offset]);
      if (!record) return 0;
      const bytes = new Uint8Array(record.bytes).subarray(0, target.byteLength);
      target.set(bytes);
      return bytes.byteLength;
    },
    async reset() {
      await (await openAppDb()).delete('chunks', fileRange(file));
    },
    async finish() {},
    async close() {},
  };
}

async function readIdbFile(id: string, version: string, path: string): Promise<Blob> {
  const file = journalKey(installKey(id, version), path);
  const db = await openAppDb();
  const parts: Blob[] = [];
  let expected = 0;
  let cursor = await db.transaction('chunks').store.openCursor(fileRange(file));
  while (cursor) {
    const { offset, bytes } = cursor.value;
    if (offset !== expected)
      throw new AppError('model-not-installed', { file, offset, reason: 'gap' });
    parts.push(new Blob([bytes]));
    expected += bytes.byteLength;
    cursor = await cursor.continue();
  }
  return new Blob(parts, { type: 'application/octet-stream' });
}
