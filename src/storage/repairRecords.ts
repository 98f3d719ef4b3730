// The records that turn a damaged install into a download to resume, written
// in one IndexedDB transaction: journals vouching only for the chunks that still
// verify, an active download record, and no install record. A crash at any
// point leaves either the damaged install or a resumable download, never both.

import type { FileJournal } from '../core/downloadJournal';
import { type DownloadRecord, installKey, openAppDb } from './db';

export async function beginRepairRecords(
  id: string,
  version: string,
  journals: FileJournal[],
  download: DownloadRecord,
): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction(['installs', 'journal', 'downloads'], 'readwrite');
  const journalStore = tx.objectStore('journal');
  for (const key of await journalStore.index('byModel').getAllKeys(installKey(id, version))) {
    await journalStore.delete(key);
  }
  for (const journal of journals) await journalStore.put(journal);
  await tx.objectStore('downloads').put(download);
  await tx.objectStore('installs').delete(installKey(id, version));
  await tx.done;
}

/** Every file journal, of every model (the orphan sweep's view). */
export async function listAllJournals(): Promise<FileJournal[]> {
  return (await openAppDb()).getAll('journal');
}

/** The file keys (`${id}@${version}/${path}`) that have IndexedDB chunk records. */
export async function listChunkFiles(): Promise<string[]> {
  const keys = await (await openAppDb()).getAllKeys('chunks');
  return [...new Set(keys.map(([file]) => file))];
}

/** Deletes every chunk record of one file key. */
export async function deleteChunkFile(file: string): Promise<void> {
  await (await openAppDb()).delete(
    'chunks',
    IDBKeyRange.bound([file, 0], [file, Number.MAX_SAFE_INTEGER]),
  );
}
