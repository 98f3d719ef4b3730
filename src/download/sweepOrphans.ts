// Deletes stored model bytes that nobody owns (site data partly cleared, a
// crash between steps), so space is never leaked for good: OPFS entries under
// `models/` and IndexedDB chunk records with no install record, journal,
// download record or running download. Runs in the download worker, before
// any download starts, once the tab owns downloads.

import { derivedPaths } from '../core/derivedFiles';
import {
  findOrphanChunkFiles,
  findOrphanEntries,
  type Owner,
  type StoredEntry,
} from '../core/orphans';
import { installKey, listInstalledModels } from '../storage/db';
import { listDownloadRecords } from '../storage/downloadRecords';
import { deleteJournals } from '../storage/journalStore';
import { MODELS_DIR, removeEntryWhenReleased, storageRoot } from '../storage/opfsPaths';
import { deleteChunkFile, listAllJournals, listChunkFiles } from '../storage/repairRecords';
import type { SweepReport } from './types';

type Listed = { dir: FileSystemDirectoryHandle | null; entries: StoredEntry[] };

/** `running`: models of downloads running in this worker (owned even before any record names them). */
export async function sweepOrphans(running: () => string[]): Promise<SweepReport> {
  // List first, then read the owners: bytes created after the listing are not
  // touched, and whoever created listed bytes was recorded before it did.
  const opfs = await listOpfsModels();
  const chunkFiles = await listChunkFiles();
  const { owners, staleJournals } = await readOwners(running());
  const report: SweepReport = { removed: [], kept: [] };
  // Journals first: bytes left without one are swept next time, never trusted.
  for (const modelKey of staleJournals) await deleteJournals(modelKey);
  if (opfs.dir) {
    for (const path of findOrphanEntries(opfs.entries, owners)) {
      try {
        await removeEntry(opfs.dir, path);
        report.removed.push(`${MODELS_DIR}/${path}`);
      } catch {
        report.kept.push(`${MODELS_DIR}/${path}`);
      }
    }
  }
  for (const file of findOrphanChunkFiles(chunkFiles, owners)) {
    await deleteChunkFile(file);
    report.removed.push(`idb:${file}`);
  }
  return report;
}

/**
 * Who owns stored bytes: installs, download records (paused, failed, active),
 * downloads running here, and the journals of those. A journal alone owns
 * nothing: its download record is written first and deleted first (a Cancel
 * cut short by a reload leaves journal and bytes behind), so such journals are
 * returned as stale, to go with their bytes.
 */
async function readOwners(
  running: string[],
): Promise<{ owners: Map<string, Owner>; staleJournals: Set<string> }> {
  const owners = new Map<string, Owner>();
  const add = (key: string, owner: Owner) => {
    const seen = owners.get(key);
    if (!seen) return void owners.set(key, owner);
    // Owned twice (an install and a stale journal): keep whatever either keeps.
    const paths = seen.paths && owner.paths ? new Set([...seen.paths, ...owner.paths]) : null;
    owners.set(key, { backend: seen.backend === owner.backend ? seen.backend : null, paths });
  };
  for (const m of await listInstalledModels()) {
    add(m.key, {
      backend: m.backend ?? 'opfs-sync',
      // Files derived at install (`derived/`) are the model's too.
      paths: new Set([...m.manifest.files.map((f) => f.path), ...derivedPaths(m.derived)]),
    });
  }
  for (const r of await listDownloadRecords()) {
    if (r.id && r.version) add(installKey(r.id, r.version), { backend: r.backend, paths: null });
  }
  for (const key of running) add(key, { backend: null, paths: null });
  const staleJournals = new Set<string>();
  for (const j of await listAllJournals()) {
    if (owners.has(j.modelKey)) {
      add(j.modelKey, { backend: j.backend as Owner['backend'], paths: new Set([j.path]) });
    } else staleJournals.add(j.modelKey);
  }
  return { owners, staleJournals };
}

async function listOpfsModels(): Promise<Listed> {
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await (await storageRoot()).getDirectoryHandle(MODELS_DIR);
  } catch {
    return { dir: null, entries: [] }; // no OPFS, or nothing stored there yet
  }
  const entries: StoredEntry[] = [];
  const walk = async (handle: FileSystemDirectoryHandle, prefix: string) => {
    for await (const entry of (
      handle as unknown as { values(): AsyncIterable<FileSystemHandle> }
    ).values()) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      entries.push({ path, kind: entry.kind });
      if (entry.kind === 'directory') await walk(entry as FileSystemDirectoryHandle, path);
    }
  };
  await walk(dir, '');
  return { dir, entries };
}

async function removeEntry(root: FileSystemDirectoryHandle, path: string): Promise<void> {
  const parts = path.split('/');
  const name = parts.pop() as string;
  let dir = root;
  for (const part of parts) dir = await dir.getDirectoryHandle(part);
  await removeEntryWhenReleased(dir, name);
}
