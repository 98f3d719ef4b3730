// Reads the bytes a backend holds for one model file, whatever they are: its
// size (null when the file is gone) and any range. Used to check and re-hash
// installed files, which may be damaged; the normal read API is readModelFile.

import { journalKey } from '../core/downloadJournal';
import { AppError } from '../core/errors';
import { installKey, openAppDb, type StoreKind } from './db';
import { modelFileHandle } from './opfsPaths';

export interface StoredFileReader {
  /** Bytes stored, or null when the file is missing. */
  readonly size: number | null;
  /** The stored bytes of one range, or null when they are not all there. */
  read(offset: number, length: number): Promise<Uint8Array | null>;
}

export interface StoredFileRef {
  backend: StoreKind;
  id: string;
  version: string;
  path: string;
}

export function openStoredFile(ref: StoredFileRef): Promise<StoredFileReader> {
  return ref.backend === 'idb' ? idbReader(ref) : opfsReader(ref);
}

async function opfsReader({ id, version, path }: StoredFileRef): Promise<StoredFileReader> {
  let file: File;
  try {
    file = await (await modelFileHandle(id, version, path)).getFile();
  } catch (error) {
    if (AppError.is(error, 'model-not-installed')) return { size: null, read: async () => null };
    throw error;
  }
  return {
    size: file.size,
    async read(offset, length) {
      if (offset + length > file.size) return null;
      return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/** Chunk records are keyed by the chunk's offset, so a range is one record. */
async function idbReader({ id, version, path }: StoredFileRef): Promise<StoredFileReader> {
  const file = journalKey(installKey(id, version), path);
  const db = await openAppDb();
  const range = IDBKeyRange.bound([file, 0], [file, Number.MAX_SAFE_INTEGER]);
  const last = await db.transaction('chunks').store.openCursor(range, 'prev');
  const size = last ? last.value.offset + last.value.bytes.byteLength : 0;
  return {
    size,
    async read(offset, length) {
      const record = await db.get('chunks', [file, offset]);
      return record && record.bytes.byteLength === length ? new Uint8Array(record.bytes) : null;
    },
  };
}
