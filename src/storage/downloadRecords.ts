// IndexedDB records of downloads in progress, one per manifest URL: what the
// user asked for (state, settings), so the next visit resumes what was interrupted.

import { type DownloadRecord, openAppDb } from './db';

export async function getDownloadRecord(manifestUrl: string): Promise<DownloadRecord | undefined> {
  return (await openAppDb()).get('downloads', manifestUrl);
}

export async function putDownloadRecord(record: DownloadRecord): Promise<void> {
  await (await openAppDb()).put('downloads', record);
}

export async function listDownloadRecords(): Promise<DownloadRecord[]> {
  return (await openAppDb()).getAll('downloads');
}

export async function deleteDownloadRecord(manifestUrl: string): Promise<void> {
  await (await openAppDb()).delete('downloads', manifestUrl);
}
