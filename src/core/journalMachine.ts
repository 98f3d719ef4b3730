// The one owner of a file's download journal: every change to it during a
// download is a transition here, which returns the new state and the effects
// (storage, hasher) the download path performs, so the rules live in one place.

import {
  emptyJournal,
  type FileJournal,
  type JournalTarget,
  journalMatches,
  markChunkDone,
  sameVersion,
  type Validator,
} from './downloadJournal';
import { AppError } from './errors';
import { digestAlgorithm } from './manifest';

/** A file's journal plus what this download run knows about it. */
export interface JournalState {
  journal: FileJournal;
  /** Times the file changed on the server during this run. */
  changes: number;
  /** Whether a whole-file mismatch restarted the file already (it restarts once). */
  restarted: boolean;
  /** Whether the file passed its whole-file check and got its final size. */
  finished: boolean;
}

export type JournalEvent =
  /** The file is opened: the stored journal (if any) is resumed or the file starts over. */
  | { type: 'opened'; stored: FileJournal | undefined }
  /** A response for one of its chunks arrived, carrying the server's validator. */
  | { type: 'response-seen'; seen: Validator | null }
  /** A chunk was verified (when it has a hash) and committed to the store. */
  | { type: 'chunk-verified'; index: number }
  /** The server's file is another version now; `reason` is what said so. */
  | { type: 'server-changed'; reason: AppError; maxChanges: number }
  /** The file is complete and its whole-file SHA-256 is `actual`. */
  | { type: 'file-digest'; actual: string }
  /** The run stops early (paused or failed): the verified chunks stay journaled. */
  | { type: 'stopped' };

export type JournalEffect =
  /** Discard the file's bytes on disk. */
  | { kind: 'reset-bytes' }
  /** Store the state's journal as it is, replacing the stored one. */
  | { kind: 'put-journal' }
  /** Change the stored journal in one transaction, so concurrent chunks do not overwrite each other. */
  | { kind: 'merge-journal'; change: (stored: FileJournal) => FileJournal }
  /** (Re)start the whole-file hasher over the journal's done chunks. */
  | { kind: 'start-hasher' }
  /** Keep chunks written but not journaled before an interruption (hashed again first). */
  | { kind: 'salvage' }
  /** Check the complete file's whole-file hash now (a `file-digest` event follows). */
  | { kind: 'check-file' }
  /** The file is good: give it its final size. */
  | { kind: 'finish-file' };

export interface Transition {
  state: JournalState;
  effects: JournalEffect[];
  /** The error the download meets, after the effects are performed. */
  error?: AppError;
  /** After a whole-file mismatch: whether this run fetches the file once more. */
  retry?: boolean;
}

/** What the machine needs to know about the file besides its journal. */
export interface JournalContext {
  target: JournalTarget;
  now: number;
}

const startOver: JournalEffect[] = [
  { kind: 'reset-bytes' },
  { kind: 'put-journal' },
  { kind: 'start-hasher' },
];

/** A state for a file about to be opened (its journal is replaced by the `opened` event). */
export function initialState(ctx: JournalContext): JournalState {
  return {
    journal: emptyJournal(ctx.target, ctx.now),
    changes: 0,
    restarted: false,
    finished: false,
  };
}

export function transition(
  state: JournalState,
  event: JournalEvent,
  ctx: JournalContext,
): Transition {
  const { target, now } = ctx;
  switch (event.type) {
    case 'opened': {
      const { stored } = event;
      if (stored && journalMatches(stored, target)) {
        return {
          state: { ...state, journal: stored },
          effects: [{ kind: 'salvage' }, { kind: 'start-hasher' }],
        };
      }
      // Bytes on disk that no journal vouches for are stale: discard them.
      return { state: { ...state, journal: emptyJournal(target, now) }, effects: startOver };
    }
    case 'response-seen': {
      const { seen } = event;
      const recorded = state.journal.validator;
      if (!recorded) {
        // The first response's validator becomes the file's.
        if (!seen) return { state, effects: [] };
        return {
          state: { ...state, journal: { ...state.journal, validator: seen } },
          effects: [
            { kind: 'merge-journal', change: (j) => ({ ...j, validator: j.validator ?? seen }) },
          ],
        };
      }
      if (sameVersion(recorded, seen)) return { state, effects: [] };
      const error = new AppError('server-changed', { path: target.path, was: recorded, now: seen });
      return { state, effects: [], error };
    }
    case 'chunk-verified': {
      const { index } = event;
      return {
        state: { ...state, journal: markChunkDone(state.journal, index, now) },
        effects: [{ kind: 'merge-journal', change: (j) => markChunkDone(j, index, now) }],
      };
    }
    case 'server-changed': {
      const changes = state.changes + 1;
      if (changes > event.maxChanges) {
        return { state: { ...state, changes }, effects: [], error: event.reason };
      }
      // Never stitch two versions: the partial file and its journal go, then every chunk again.
      const journal = emptyJournal(target, now);
      return { state: { ...state, changes, journal }, effects: startOver };
    }
    case 'file-digest': {
      if (event.actual === target.sha256) {
        return { state: { ...state, finished: true }, effects: [{ kind: 'finish-file' }] };
      }
      // We cannot tell which chunk is wrong: the whole file goes.
      const details = {
        path: target.path,
        verification: target.plan.verification,
        algorithm: digestAlgorithm(target.sha256),
        expected: target.sha256,
        actual: event.actual,
      };
      // After a change on the server, a mismatch means the server now has other bytes.
      const code = state.changes > 0 ? 'server-changed' : 'validation-failed';
      // Bytes only the whole-file hash could check were damaged on the way (they
      // were journaled unchecked): fetch the file once more.
      const retry =
        code === 'validation-failed' &&
        target.plan.verification === 'whole-file' &&
        !state.restarted;
      return {
        state: {
          ...state,
          journal: emptyJournal(target, now),
          restarted: state.restarted || retry,
        },
        effects: startOver,
        error: new AppError(code, details),
        retry,
      };
    }
    case 'stopped': {
      // A complete file is checked now, so a bad one is reset in this attempt
      // and the resume fetches it, not a later one.
      const complete = state.journal.done.length === target.plan.chunks.length;
      return { state, effects: complete && !state.finished ? [{ kind: 'check-file' }] : [] };
    }
  }
}
