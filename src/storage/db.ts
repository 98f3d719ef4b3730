// The app's IndexedDB: a typed schema (idb) for installed models. A model is
// installed only once a record exists here, and that record is written last,
// after every byte of every file has been written and verified.

import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ModelManifest } from '../core/manifest';

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
}

interface AppSchema extends DBSchema {
  installs: { key: string; value: InstalledModel; indexes: { byId: string } };
}

export const DB_NAME = 'runanywhere';
const DB_VERSION = 1;

let dbPromise: Promise<IDBPDatabase<AppSchema>> | null = null;

export function openAppDb(): Promise<IDBPDatabase<AppSchema>> {
  dbPromise ??= openDB<AppSchema>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      // Each step migrates from the version before it; never edit a past step.
      if (oldVersion < 1) {
        const installs = db.createObjectStore('installs', { keyPath: 'key' });
        installs.createIndex('byId', 'id');
      }
    },
    blocking() {
      // Another tab needs a newer schema: let it upgrade, reopen on next use.
      dbPromise = null;
    },
  });
  return dbPromise;
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
