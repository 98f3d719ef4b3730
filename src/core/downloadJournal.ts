// The download journal's logic: per file, which chunks are written, flushed and
// verified, under which plan and server validator. Storage keeps the records;
// this decides whether a record can be resumed and what is still missing.

import type { ChunkPlan, PlannedChunk } from './chunkPlan';

/** What identifies one version of a file on the server (RFC 9110 §8.8). */
export interface Validator {
  etag: string | null;
  lastModified: string | null;
}

export interface FileJournal {
  /** `${modelKey}/${path}`. */
  key: string;
  /** `${id}@${version}`. */
  modelKey: string;
  path: string;
  size: number;
  sha256: string;
  planId: string;
  /** Storage backend holding the bytes; another backend's journal is useless. */
  backend: string;
  /** The validator of the server's file when the first byte was taken, or null before that. */
  validator: Validator | null;
  /** Indices of chunks written, flushed and verified, ascending. */
  done: number[];
  updatedAt: number;
}

export interface JournalTarget {
  modelKey: string;
  path: string;
  size: number;
  sha256: string;
  plan: ChunkPlan;
  backend: string;
}

export function journalKey(modelKey: string, path: string): string {
  return `${modelKey}/${path}`;
}

/** A fresh journal for `target`: nothing done, no validator yet. */
export function emptyJournal(target: JournalTarget, now: number): FileJournal {
  return {
    key: journalKey(target.modelKey, target.path),
    modelKey: target.modelKey,
    path: target.path,
    size: target.size,
    sha256: target.sha256,
    planId: target.plan.planId,
    backend: target.backend,
    validator: null,
    done: [],
    updatedAt: now,
  };
}

/** Whether a stored journal describes the same bytes, grain and storage as `target`. */
export function journalMatches(journal: FileJournal | undefined, target: JournalTarget): boolean {
  return (
    journal !== undefined &&
    journal.size === target.size &&
    journal.sha256 === target.sha256 &&
    journal.planId === target.plan.planId &&
    journal.backend === target.backend &&
    journal.done.every((i) => Number.isSafeInteger(i) && i >= 0 && i < target.plan.chunks.length)
  );
}

export function markChunkDone(journal: FileJournal, index: number, now: number): FileJournal {
  if (journal.done.includes(index)) return journal;
  const done = [...journal.done, index].sort((a, b) => a - b);
  return { ...journal, done, updatedAt: now };
}

export function missingChunks(plan: ChunkPlan, journal: FileJournal): PlannedChunk[] {
  const done = new Set(journal.done);
  return plan.chunks.filter((c) => !done.has(c.index));
}

export function bytesDone(plan: ChunkPlan, journal: FileJournal): number {
  const done = new Set(journal.done);
  return plan.chunks.reduce((sum, c) => sum + (done.has(c.index) ? c.length : 0), 0);
}

export function validatorFrom(etag: string | null, lastModified: string | null): Validator | null {
  return etag || lastModified ? { etag: etag || null, lastModified: lastModified || null } : null;
}

/**
 * The `If-Range` value for a validator: a strong ETag, else Last-Modified.
 * Weak ETags are not allowed in If-Range (RFC 9110 §13.1.5).
 */
export function ifRangeValue(validator: Validator | null): string | null {
  if (validator?.etag && !validator.etag.startsWith('W/')) return validator.etag;
  return validator?.lastModified ?? null;
}

/** Whether a response's validator says it is the same file version as the journal's. */
export function sameVersion(recorded: Validator | null, seen: Validator | null): boolean {
  if (!recorded || !seen) return true; // Nothing to compare: the hashes still guard every byte.
  if (recorded.etag && seen.etag) return recorded.etag === seen.etag;
  if (recorded.lastModified && seen.lastModified) {
    return recorded.lastModified === seen.lastModified;
  }
  return true;
}
