// What is wrong with an installed model's stored files, as plain data: a file
// missing, of the wrong size, or with chunks whose bytes no longer match the
// manifest; and which chunks a repair can keep. Storage and the engine act on it.

import type { ChunkPlan } from './chunkPlan';

export type DamageReason = 'missing' | 'size' | 'content';

export interface DamagedFile {
  path: string;
  reason: DamageReason;
  expectedSize: number;
  /** Bytes stored, or null when the file is gone. */
  storedSize: number | null;
  /** Chunk indices (of the file's chunk plan) known bad; empty after a size check alone. */
  badChunks: number[];
}

export interface ModelDamage {
  files: DamagedFile[];
  /** What found it: the size check when a model loads, or a re-hash (verify). */
  foundBy: 'load' | 'verify';
  foundAt: number;
}

/** The size check done at every load: null when the stored size is the manifest's. */
export function sizeDamage(
  path: string,
  expectedSize: number,
  storedSize: number | null,
): DamagedFile | null {
  if (storedSize === expectedSize) return null;
  return {
    path,
    reason: storedSize === null ? 'missing' : 'size',
    expectedSize,
    storedSize,
    badChunks: [],
  };
}

/** Chunks not wholly inside the first `storedSize` bytes (all of them for a missing file). */
export function chunksBeyond(plan: ChunkPlan, storedSize: number | null): number[] {
  const size = storedSize ?? 0;
  return plan.chunks.filter((c) => c.offset + c.length > size).map((c) => c.index);
}

/**
 * One file's verdict after a re-hash: `mismatched` are the chunks whose stored
 * bytes hash to something else. Chunks past the end of a short file are bad too;
 * bytes past the end of a long file are not a chunk's, the repair trims them.
 */
export function fileDamage(
  path: string,
  plan: ChunkPlan,
  expectedSize: number,
  storedSize: number | null,
  mismatched: readonly number[],
): DamagedFile | null {
  const bad = [...new Set([...mismatched, ...chunksBeyond(plan, storedSize)])].sort(
    (a, b) => a - b,
  );
  if (bad.length === 0 && storedSize === expectedSize) return null;
  const reason: DamageReason =
    storedSize === null ? 'missing' : storedSize !== expectedSize ? 'size' : 'content';
  return { path, reason, expectedSize, storedSize, badChunks: bad };
}

/** The chunks a repair keeps: every chunk of the plan not known bad, ascending. */
export function goodChunks(plan: ChunkPlan, badChunks: readonly number[]): number[] {
  const bad = new Set(badChunks);
  return plan.chunks.filter((c) => !bad.has(c.index)).map((c) => c.index);
}
