// The app's IndexedDB: a typed schema (idb) for installed models, the download
// journal, downloads in progress, (for the IndexedDB storage backend) chunk
// bytes, the cached catalog and the chat's conversations. A model is installed
// only once a record exists in `installs`, and that record is written last,
// after every byte of every file has been written and verified.

import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Conversation } from '../core/conversation';
import type { DerivedRecord } from '../core/derivedFiles';
import type { FileJournal } from '../core/downloadJournal';
import type { ModelManifest } from '../core/manifest';
import type { ModelDamage } from '../core/storedDamage';

/** Where a model's bytes live (see docs/downloads.md). */
export type StoreKind = 'opfs-sync' | 'opfs-writable' | 'idb';

export interface InstalledModel {
  /** `${id}@${version}`. */
  key: string;
  id: string;
  version: string;
  manifest: ModelManifest;
  /** Where the manifest was fetched from; its files resolve against it. */
  manifestUrl: string;
  installedAt: number;
  bytes: number;
  /** The storage backend holding the files; absent in records from before it existed (OPFS). */
  backend?: StoreKind;
  /**
   * Set when stored bytes no longer match the manifest (size check at load, or
   * a re-hash): such a model is not usable until repaired. An optional field, so
   * no schema version change: records without it are intact.
   */
  damage?: ModelDamage;
  /** A model installed from the Hugging Face Hub: where from, and the commit it is pinned to. */
  hub?: HubInstall;
  /** Files made from the download at install (`derived/`), or why making them failed. */
  derived?: DerivedRecord;
}

export interface HubInstall {
  endpoint: string;
  repo: string;
  /** What the user asked for (branch, tag or commit). */
  revision: string;
  commit: string;
  dtype: string;
}

/** A download the user started and has not finished or cancelled: resumed on the next visit. */
export interface DownloadRecord {
  manifestUrl: string;
  /** Known once the manifest has been fetched. */
  id: string | null;
  version: string | null;
  state: 'active' | 'paused' | 'failed';
  /** The typed error of the last attempt, when it failed. */
  error: { code: string; message: string; details: Record<string, unknown> } | null;
  backend: StoreKind | null;
  /** The user's download settings it was started with (`DownloadSettings`), reused when it resumes. */
  options: Record<string, unknown> | null;
  updatedAt: number;
}

/** One chunk's bytes, for the IndexedDB backend (ArrayBuffers: WebKit cannot store Blobs here in every mode). */
export interface ChunkRecord {
  /** The journal key of the file: `${id}@${version}/${path}`. */
  file: string;
  offset: number;
  bytes: ArrayBuffer;
}

/** The last catalog the page loaded, kept so the Models screen lists models offline. */
export interface CachedCatalog {
  /** Always `last`: one catalog is kept. */
  key: 'last';
  /** The catalog as validated when it was fetched; validated again when read. */
  catalog: unknown;
  /** Where it was fetched from; its manifest paths resolve against it. */
  url: string;
  savedAt: number;
}

export interface AppSchema extends DBSchema {
  installs: { key: string; value: InstalledModel; indexes: { byId: string } };
  journal: { key: string; value: FileJournal; indexes: { byModel: string } };
  downloads: { key: string; value: DownloadRecord };
  chunks: { key: [string, number]; value: ChunkRecord };
  catalog: { key: string; value: CachedCatalog };
  conversations: { key: string; value: Conversation; indexes: { byUpdated: number } };
}

export const DB_NAME = 'runanywhere';
export const DB_VERSION = 4;

let dbPromise: Promise<IDBPDatabase<AppSchema>> | null = null;

export function openAppDb(): Promise<IDBPDatabase<AppSchema>> {
  dbPromise ??= openDB<AppSchema>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      // Each step migrates from the version before it; never edit a past step.
      if (oldVersion < 1) {
        const installs = db.createObjectStore('installs', { keyPath: 'key' });
        installs.createIndex('byId', 'id');
      }
      if (oldVersion < 2) {
        const journal = db.createObjectStore('journal', { keyPath: 'key' });
        journal.createIndex('byModel', 'modelKey');
        db.createObjectStore('downloads', { keyPath: 'manifestUrl' });
        db.createObjectStore('chunks', { keyPath: ['file', 'offset'] });
      }
      if (oldVersion < 3) {
        // Was localStorage, which a catalog of a few MB overflows.
        db.createObjectStore('catalog', { keyPath: 'key' });
      }
      if (oldVersion < 4) {
        // The chat's conversations, listed newest first.
        const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
        conversations.createIndex('byUpdated', 'updatedAt');
      }
    },
    blocking() {
      // Another tab needs a newer schema: close so it can upgrade, reopen on next use.
      const closing = dbPromise;
      dbPromise = null;
      void closing?.then((db) => db.close());
    },
  });
  return dbPromise;
}

/** Closes this page's connection (before the database is deleted); the next use reopens it. */
export async function closeAppDb(): Promise<void> {
  const closing = dbPromise;
  dbPromise = null;
  (await closing?.catch(() => null))?.close();
}

export function installKey(id: string, version: string): string {
  return `${id}@${version}`;
}

export async function listInstalledModels(): Promise<InstalledModel[]> {
  const db = await openAppDb();
  return db.getAll('installs');
}

export async function getInstalledModel(
  id: string,
  version: string,
): Promise<InstalledModel | undefined> {
  const db = await openAppDb();
  return db.get('installs', installKey(id, version));
}

export async function putInstalledModel(record: InstalledModel): Promise<void> {
  const db = await openAppDb();
  await db.put('installs', record);
}

export async function deleteInstalledModel(id: string, version: string): Promise<void> {
  const db = await openAppDb();
  await db.delete('installs', installKey(id, version));
}

/** Marks an installed model damaged (or intact with null); returns the record, or undefined if not installed. */
export async function setModelDamage(
  id: string,
  version: string,
  damage: ModelDamage | null,
): Promise<InstalledModel | undefined> {
  const db = await openAppDb();
  const tx = db.transaction('installs', 'readwrite');
  const record = await tx.store.get(installKey(id, version));
  if (record) {
    const { damage: _previous, ...rest } = record;
    const updated: InstalledModel = damage ? { ...rest, damage } : rest;
    await tx.store.put(updated);
    await tx.done;
    return updated;
  }
  await tx.done;
  return undefined;
}
