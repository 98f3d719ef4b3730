// One interface over the three places model bytes can live: OPFS through sync
// access handles (default, dedicated worker), OPFS through createWritable, and
// IndexedDB chunk records where OPFS is missing or fails. The download engine,
// its journal and its verification are the same whatever the backend.

import type { StoreKind } from './db';

export type { StoreKind };

export interface StoredFileTarget {
  id: string;
  version: string;
  path: string;
  size: number;
}

/** An open model file being downloaded. */
export interface StoredFileWriter {
  /**
   * True when bytes can be written as they arrive (`write`); otherwise the
   * backend takes each chunk whole in `commitChunk`.
   */
  readonly streams: boolean;
  /** Writes network bytes at a file offset (streaming backends only). */
  write(bytes: Uint8Array, offset: number): void | Promise<void>;
  /**
   * Makes one verified chunk durable. `bytes` is the whole chunk for backends
   * that do not stream; streaming backends have written it already and only
   * flush (they may get null). Only after this resolves may the chunk be journaled.
   */
  commitChunk(offset: number, bytes: Uint8Array | null): Promise<void>;
  /** Reads stored bytes back (ordered whole-file hashing). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Reads stored bytes at `offset` into `target` (a reusable buffer); returns
   * how many there were (fewer past the end of what is stored, 0 if none).
   */
  readInto(target: Uint8Array, offset: number): Promise<number>;
  /** Discards every stored byte of the file (stale or changed on the server). */
  reset(): Promise<void>;
  /** Gives the complete file its exact size and makes it durable. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

export interface ModelStore {
  readonly kind: StoreKind;
  openFile(target: StoredFileTarget): Promise<StoredFileWriter>;
  /** A stored file as a Blob (disk-backed for OPFS, assembled from chunk records for IndexedDB). */
  readFile(id: string, version: string, path: string): Promise<Blob>;
  /** Removes every stored byte of one model version; absent files are fine. */
  deleteModel(id: string, version: string): Promise<void>;
}

export function isQuotaError(error: unknown): boolean {
  return (
    typeof DOMException !== 'undefined' &&
    error instanceof DOMException &&
    error.name === 'QuotaExceededError'
  );
}

/** A backend that does not stream needs the chunk's bytes in `commitChunk`. */
export function chunkBytes(bytes: Uint8Array | null, backend: StoreKind): Uint8Array {
  if (!bytes) throw new Error(`the ${backend} backend takes whole chunks`);
  return bytes;
}
