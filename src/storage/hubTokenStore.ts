// The Hugging Face access token, kept only on this device (IndexedDB) and read
// only by the code that talks to the Hub endpoint. The UI sets or clears it and
// learns only whether one is set; it never reads the token back.
// Its own small database, so adding it needs no version step of the app's
// main schema (db.ts), which other work migrates in parallel.

import { type DBSchema, openDB } from 'idb';

interface SettingsDb extends DBSchema {
  secrets: { key: string; value: { key: string; value: string; savedAt: number } };
}

const DB_NAME = 'runanywhere-settings';
const KEY = 'hub-token';

function openSettingsDb() {
  return openDB<SettingsDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('secrets', { keyPath: 'key' });
    },
  });
}

/** Hub tokens are `hf_` plus letters and digits; anything else is a paste mistake. */
export function hubTokenProblem(token: string): string | null {
  return /^hf_[A-Za-z0-9]{20,200}$/.test(token)
    ? null
    : 'An access token starts with hf_ followed by letters and digits.';
}

export async function saveHubToken(token: string): Promise<void> {
  const db = await openSettingsDb();
  await db.put('secrets', { key: KEY, value: token.trim(), savedAt: Date.now() });
  db.close();
}

export async function clearHubToken(): Promise<void> {
  const db = await openSettingsDb();
  await db.delete('secrets', KEY);
  db.close();
}

/** The token, for the Hub client only (src/hub/, the download worker). */
export async function readHubToken(): Promise<string | null> {
  const db = await openSettingsDb();
  const record = await db.get('secrets', KEY);
  db.close();
  return record?.value ?? null;
}

export async function hasHubToken(): Promise<boolean> {
  return (await readHubToken()) !== null;
}
