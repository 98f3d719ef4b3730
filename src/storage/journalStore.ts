// IndexedDB chunk journals of downloads in progress: per file, which chunks
// are verified and stored (the per-model records are in downloadRecords.ts).

import type { FileJournal } from '../core/downloadJournal';
import { openAppDb } from './db';

export async function getJournal(key: string): Promise<FileJournal | undefined> {
  return (await openAppDb()).get('journal', key);
}

export async function putJournal(journal: FileJournal): Promise<void> {
  await (await openAppDb()).put('journal', journal);
}

/**
 * Changes one file's journal in a single transaction, so two connections
 * finishing at once cannot overwrite each other's entry. No-op if it is gone.
 */
export async function updateJournal(
  key: string,
  change: (journal: FileJournal) => FileJournal,
): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction('journal', 'readwrite');
  const journal = await tx.store.get(key);
  if (journal) await tx.store.put(change(journal));
  await tx.done;
}

export async function deleteJournals(modelKey: string): Promise<void> {
  const db = await openAppDb();
  const tx = db.transaction('journal', 'readwrite');
  for (const key of await tx.store.index('byModel').getAllKeys(modelKey)) {
    await tx.store.delete(key);
  }
  await tx.done;
}

export async function listJournals(modelKey: string): Promise<FileJournal[]> {
  return (await openAppDb()).getAllFromIndex('journal', 'byModel', modelKey);
}
