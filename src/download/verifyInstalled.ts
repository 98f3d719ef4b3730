// Re-hashes an installed model's stored files chunk by chunk against the
// manifest (WebCrypto SHA-256 per chunk; hash-wasm for a file with only a
// whole-file hash), yielding between chunks so it can run in the background,
// and says which chunks of which files no longer match. Runs in the download worker.

import { type ChunkPlan, planChunks } from '../core/chunkPlan';
import type { ManifestFile } from '../core/manifest';
import { sha256Hex } from '../core/sha256';
import { type DamagedFile, fileDamage } from '../core/storedDamage';
import type { InstalledModel } from '../storage/db';
import { openStoredFile, type StoredFileReader } from '../storage/storedFileReader';
import { DEFAULT_CHUNK_SIZE } from './engineOptions';
import { gitBlobSha1 } from './gitBlobSha1';
import { inlineHash } from './incrementalHash';

export interface VerifyOptions {
  /** Aborting stops between chunks; the reason is thrown. */
  signal?: AbortSignal;
  /** Pause between chunks (background verification leaves the thread to others). */
  pauseMs?: number;
  /** Bytes per piece for files without chunk hashes (the repair's plan must use the same). */
  chunkSize?: number;
}

export async function verifyInstalled(
  model: InstalledModel,
  options: VerifyOptions = {},
): Promise<DamagedFile[]> {
  const backend = model.backend ?? 'opfs-sync';
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const damaged: DamagedFile[] = [];
  for (const file of model.manifest.files) {
    const plan = planChunks(file, { chunkSize });
    const reader = await openStoredFile({
      backend,
      id: model.id,
      version: model.version,
      path: file.path,
    });
    const bad =
      plan.verification === 'chunks'
        ? await badChunks(plan, reader, options)
        : await wholeFileBad(file, plan, reader, options);
    const damage = fileDamage(file.path, plan, file.size, reader.size, bad);
    if (damage) damaged.push(damage);
  }
  return damaged;
}

async function badChunks(
  plan: ChunkPlan,
  reader: StoredFileReader,
  options: VerifyOptions,
): Promise<number[]> {
  const bad: number[] = [];
  for (const chunk of plan.chunks) {
    await pause(options);
    const bytes = await reader.read(chunk.offset, chunk.length);
    if (!bytes || (await sha256Hex(bytes)) !== chunk.sha256) bad.push(chunk.index);
  }
  return bad;
}

/** A file with only a whole-file hash: one mismatch condemns every chunk. */
async function wholeFileBad(
  file: ManifestFile,
  plan: ChunkPlan,
  reader: StoredFileReader,
  options: VerifyOptions,
): Promise<number[]> {
  if (reader.size !== file.size) return []; // the size verdict already condemns what is missing
  if (file.sha256 === undefined) {
    const id = await gitBlobSha1(file.size, (offset, length) => reader.read(offset, length));
    return id === file.gitBlobSha1 ? [] : plan.chunks.map((c) => c.index);
  }
  const hash = await inlineHash();
  for (const chunk of plan.chunks) {
    await pause(options);
    const bytes = await reader.read(chunk.offset, chunk.length);
    if (!bytes) return plan.chunks.map((c) => c.index);
    await hash.update(bytes);
  }
  return (await hash.digest()) === file.sha256 ? [] : plan.chunks.map((c) => c.index);
}

async function pause({ signal, pauseMs = 0 }: VerifyOptions): Promise<void> {
  if (signal?.aborted) throw signal.reason;
  await new Promise((wake) => setTimeout(wake, pauseMs));
  if (signal?.aborted) throw signal.reason;
}
