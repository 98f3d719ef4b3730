// Installed models as signals; Verify (re-hashing a model's stored bytes
// against its manifest, now or in the background when the page is idle) and
// Delete (the engine holding it released first, then its record, so a
// half-deleted model never looks installed, then its bytes). The download
// worker client and the release come from the composition root (`connectVerifier`).

import { signal } from '@preact/signals';
import { AppError } from '../core/errors';
import type { DownloadWorkerClient } from '../download/downloadWorkerClient';
import { type InstalledModel, listInstalledModels } from '../storage/db';

export const installed = signal<InstalledModel[]>([]);
/** Per model id: a re-hash running, its plain-words verdict, or a failure to check. */
export const verifications = signal<
  Record<string, { running: boolean; text: string | null; error: boolean }>
>({});

let client: DownloadWorkerClient | null = null;
let release: (modelKey: string) => Promise<void> = async () => {};

/**
 * Gives Verify and Delete the download worker client, and Delete what frees a
 * model from memory (the composition root calls it once).
 */
export function connectVerifier(
  downloadWorkerClient: DownloadWorkerClient,
  options: { releaseModel?: (modelKey: string) => Promise<void> } = {},
): void {
  client = downloadWorkerClient;
  if (options.releaseModel) release = options.releaseModel;
}

function verifier(): DownloadWorkerClient {
  if (!client) throw new Error('connectVerifier() has not been given the download worker client');
  return client;
}

export async function refreshInstalled(): Promise<void> {
  installed.value = await listInstalledModels();
}

function setVerification(id: string, running: boolean, text: string | null, error = false) {
  verifications.value = { ...verifications.value, [id]: { running, text, error } };
}

/** Re-hashes an installed model against its manifest; a mismatch marks it damaged. */
export async function verify(model: InstalledModel, { background = false } = {}): Promise<void> {
  if (verifications.value[model.id]?.running) return;
  setVerification(model.id, true, background ? null : 'Checking every stored byte…');
  try {
    const report = await verifier().verifyModel(model.id, model.version, { background });
    const text = report.damaged.length === 0 ? 'Checked: every stored byte matches.' : null;
    setVerification(model.id, false, background ? null : text);
  } catch (error) {
    const e = AppError.from(error, 'storage-unavailable');
    // A background check that was superseded or stopped says nothing.
    setVerification(model.id, false, background ? null : e.message, !background);
  }
  await refreshInstalled();
}

/**
 * Re-hashes in the background after a model loaded, when the page is idle, so
 * damage is found before the next load needs it.
 */
export function verifyWhenIdle(model: InstalledModel): void {
  const run = () => void verify(model, { background: true });
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 10_000 });
  else setTimeout(run, 2000);
}

/**
 * Deletes an installed model: the engine that holds it lets go first (its
 * worker ends, so no runtime reads files being removed), then its record and
 * its stored bytes (the download worker does both).
 */
export async function removeInstalled(model: InstalledModel): Promise<void> {
  await release(model.key);
  await verifier().removeModel(model.id, model.version);
  await refreshInstalled();
}
