// Splits a model file into the chunks the downloader fetches, verifies and
// journals: the manifest's own hashed chunks, or fixed-size pieces when only a
// whole-file hash is known (or whole-file verification is asked for).

import type { ManifestFile } from './manifest';

export type Verification = 'chunks' | 'whole-file';

export interface PlannedChunk {
  index: number;
  offset: number;
  length: number;
  /** The chunk's SHA-256 when it can be checked on its own, else null. */
  sha256: string | null;
}

export interface ChunkPlan {
  verification: Verification;
  chunks: PlannedChunk[];
  /** Identifies the grain: a journal written under another plan cannot be reused. */
  planId: string;
}

export interface ChunkPlanOptions {
  /** Bytes per chunk when the manifest's chunks are not used. */
  chunkSize: number;
  /** 'chunks' (default) uses the manifest's chunk hashes when it lists them. */
  verification?: Verification;
}

export function planChunks(
  file: Pick<ManifestFile, 'size' | 'chunks'>,
  options: ChunkPlanOptions,
): ChunkPlan {
  const { chunkSize } = options;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const useManifest = options.verification !== 'whole-file' && file.chunks.length > 0;
  if (useManifest) {
    const chunks = file.chunks.map((c, index) => ({
      index,
      offset: c.offset,
      length: c.length,
      sha256: c.sha256,
    }));
    return { verification: 'chunks', chunks, planId: `chunks:${chunks.length}:${file.size}` };
  }
  const chunks: PlannedChunk[] = [];
  for (let offset = 0, index = 0; offset < file.size; offset += chunkSize, index++) {
    chunks.push({ index, offset, length: Math.min(chunkSize, file.size - offset), sha256: null });
  }
  return { verification: 'whole-file', chunks, planId: `whole:${chunkSize}:${file.size}` };
}
