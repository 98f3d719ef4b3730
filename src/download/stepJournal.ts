// Performs one transition of a file's journal (src/core/journalMachine.ts) on
// the real file: takes the machine's new state, then runs its effects in order
// against the store, the IndexedDB journal and the whole-file hasher.

import { type JournalEvent, type Transition, transition } from '../core/journalMachine';
import { putJournal, updateJournal } from '../storage/journalStore';
import type { FileState } from './chunkScheduler';
import { gitBlobSha1 } from './gitBlobSha1';
import { salvageChunks } from './salvageChunks';
import { WholeFileHasher } from './wholeFileHasher';

/**
 * Applies `event` to `state`; returns the transition so the caller can act on
 * its error or retry. Storage errors are thrown as they come (callers say where).
 */
export async function stepJournal(state: FileState, event: JournalEvent): Promise<Transition> {
  const step = transition(state, event, { target: state.target, now: Date.now() });
  state.journal = step.state.journal;
  state.changes = step.state.changes;
  state.restarted = step.state.restarted;
  state.finished = step.state.finished;
  for (const effect of step.effects) {
    switch (effect.kind) {
      case 'reset-bytes':
        await state.writer.reset();
        break;
      case 'put-journal':
        await putJournal(state.journal);
        break;
      case 'merge-journal':
        await updateJournal(state.journal.key, effect.change);
        break;
      case 'start-hasher':
        state.hasher?.close();
        // A file known by its git blob id alone is hashed once complete (checkFile).
        state.hasher =
          state.file.sha256 === undefined
            ? null
            : await WholeFileHasher.create(state.plan, state.writer, state.journal.done);
        break;
      case 'salvage':
        await salvageChunks(state, async (index) => {
          await stepJournal(state, { type: 'chunk-verified', index });
        });
        break;
      case 'check-file':
        // Only when the run stops early: its outcome waits for the next attempt.
        await checkFile(state);
        break;
      case 'finish-file':
        await state.writer.finish();
        break;
    }
  }
  return step;
}

/**
 * Checks a complete file against its whole-file hash (SHA-256, or the git blob
 * id of a small Hub file, as `fileDigestId` spells it) and, when it matches,
 * gives it its final size; on a mismatch the file starts over (the transition
 * carries the error and whether to fetch it once more).
 */
export async function checkFile(state: FileState): Promise<Transition> {
  const { file, writer } = state;
  const actual = state.hasher
    ? await state.hasher.digest()
    : file.gitBlobSha1 !== undefined
      ? `sha1:${await gitBlobSha1(file.size, (offset, length) => writer.read(offset, length))}`
      : null;
  if (actual === null) {
    await writer.finish();
    state.finished = true;
    return { state, effects: [] };
  }
  return stepJournal(state, { type: 'file-digest', actual });
}
