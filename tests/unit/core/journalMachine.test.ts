// The journal's transitions, one table row per rule: what each event does to
// a file's journal and which effects the download path must then perform.

import { describe, expect, it } from 'vitest';
import { planChunks } from '../../../src/core/chunkPlan';
import {
  emptyJournal,
  type FileJournal,
  type JournalTarget,
  markChunkDone,
} from '../../../src/core/downloadJournal';
import { AppError } from '../../../src/core/errors';
import {
  initialState,
  type JournalEvent,
  type JournalState,
  transition,
} from '../../../src/core/journalMachine';

const HASH = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

function targetOf(verification: 'chunks' | 'whole-file'): JournalTarget {
  const chunks =
    verification === 'chunks'
      ? [0, 4, 8].map((offset, i) => ({
          offset,
          length: Math.min(4, 10 - offset),
          sha256: String(i + 1).repeat(64),
        }))
      : [];
  return {
    modelKey: 'm@1.0.0',
    path: 'w.bin',
    size: 10,
    sha256: HASH,
    plan: planChunks({ size: 10, chunks }, { chunkSize: 4 }),
    backend: 'opfs-sync',
  };
}

const chunked = targetOf('chunks');
const wholeFile = targetOf('whole-file');
const NOW = 1000;

function journalWith(target: JournalTarget, done: number[], etag: string | null = null) {
  let j: FileJournal = emptyJournal(target, 1);
  for (const i of done) j = markChunkDone(j, i, 1);
  return etag ? { ...j, validator: { etag, lastModified: null } } : j;
}

function stateWith(target: JournalTarget, over: Partial<JournalState> = {}): JournalState {
  return { ...initialState({ target, now: 1 }), journal: journalWith(target, [0, 1]), ...over };
}

const reason = new AppError('server-changed', { path: 'w.bin' });
const startOver = ['reset-bytes', 'put-journal', 'start-hasher'];

interface Row {
  name: string;
  target: JournalTarget;
  state: JournalState;
  event: JournalEvent;
  effects: string[];
  done: number[];
  validator?: string | null;
  error?: string;
  retry?: boolean;
  changes?: number;
  restarted?: boolean;
  finished?: boolean;
}

const rows: Row[] = [
  {
    name: 'opened with a matching journal: resumes it, salvages, then hashes what is done',
    target: chunked,
    state: initialState({ target: chunked, now: 1 }),
    event: { type: 'opened', stored: journalWith(chunked, [2], '"v1"') },
    effects: ['salvage', 'start-hasher'],
    done: [2],
    validator: '"v1"',
  },
  {
    name: 'opened with no journal: the file starts over',
    target: chunked,
    state: initialState({ target: chunked, now: 1 }),
    event: { type: 'opened', stored: undefined },
    effects: startOver,
    done: [],
  },
  {
    name: 'opened with a journal of another plan: the file starts over',
    target: chunked,
    state: initialState({ target: chunked, now: 1 }),
    event: { type: 'opened', stored: { ...journalWith(chunked, [0]), planId: 'other' } },
    effects: startOver,
    done: [],
  },
  {
    name: 'opened with a journal of another backend: the file starts over',
    target: chunked,
    state: initialState({ target: chunked, now: 1 }),
    event: { type: 'opened', stored: { ...journalWith(chunked, [0]), backend: 'idb' } },
    effects: startOver,
    done: [],
  },
  {
    name: 'first response with a validator: it becomes the file’s',
    target: chunked,
    state: stateWith(chunked),
    event: { type: 'response-seen', seen: { etag: '"v1"', lastModified: null } },
    effects: ['merge-journal'],
    done: [0, 1],
    validator: '"v1"',
  },
  {
    name: 'first response without a validator: nothing to record',
    target: chunked,
    state: stateWith(chunked),
    event: { type: 'response-seen', seen: null },
    effects: [],
    done: [0, 1],
    validator: null,
  },
  {
    name: 'a response with the same validator: nothing changes',
    target: chunked,
    state: stateWith(chunked, { journal: journalWith(chunked, [0], '"v1"') }),
    event: { type: 'response-seen', seen: { etag: '"v1"', lastModified: null } },
    effects: [],
    done: [0],
    validator: '"v1"',
  },
  {
    name: 'a response with another validator: the server changed',
    target: chunked,
    state: stateWith(chunked, { journal: journalWith(chunked, [0], '"v1"') }),
    event: { type: 'response-seen', seen: { etag: '"v2"', lastModified: null } },
    effects: [],
    done: [0],
    validator: '"v1"',
    error: 'server-changed',
  },
  {
    name: 'chunk verified: journaled, in one transaction',
    target: chunked,
    state: stateWith(chunked),
    event: { type: 'chunk-verified', index: 2 },
    effects: ['merge-journal'],
    done: [0, 1, 2],
  },
  {
    name: 'server changed: the file starts over and the change is counted',
    target: chunked,
    state: stateWith(chunked, { journal: journalWith(chunked, [0, 1], '"v1"') }),
    event: { type: 'server-changed', reason, maxChanges: 2 },
    effects: startOver,
    done: [],
    validator: null,
    changes: 1,
  },
  {
    name: 'server changed once too often: gives up with the reason, keeping the journal',
    target: chunked,
    state: stateWith(chunked, { changes: 2 }),
    event: { type: 'server-changed', reason, maxChanges: 2 },
    effects: [],
    done: [0, 1],
    error: 'server-changed',
    changes: 3,
  },
  {
    name: 'whole-file hash matches: the file is finished',
    target: chunked,
    state: stateWith(chunked, { journal: journalWith(chunked, [0, 1, 2]) }),
    event: { type: 'file-digest', actual: HASH },
    effects: ['finish-file'],
    done: [0, 1, 2],
    finished: true,
  },
  {
    name: 'mismatch with chunk hashes: starts over, fails, no retry',
    target: chunked,
    state: stateWith(chunked, { journal: journalWith(chunked, [0, 1, 2]) }),
    event: { type: 'file-digest', actual: OTHER },
    effects: startOver,
    done: [],
    error: 'validation-failed',
    retry: false,
    restarted: false,
  },
  {
    name: 'first mismatch with only a whole-file hash: starts over and fetches it once more',
    target: wholeFile,
    state: stateWith(wholeFile, { journal: journalWith(wholeFile, [0, 1, 2]) }),
    event: { type: 'file-digest', actual: OTHER },
    effects: startOver,
    done: [],
    error: 'validation-failed',
    retry: true,
    restarted: true,
  },
  {
    name: 'second mismatch with only a whole-file hash: starts over and fails',
    target: wholeFile,
    state: stateWith(wholeFile, { journal: journalWith(wholeFile, [0, 1, 2]), restarted: true }),
    event: { type: 'file-digest', actual: OTHER },
    effects: startOver,
    done: [],
    error: 'validation-failed',
    retry: false,
    restarted: true,
  },
  {
    name: 'mismatch after a change on the server: says so, no retry',
    target: wholeFile,
    state: stateWith(wholeFile, { journal: journalWith(wholeFile, [0, 1, 2]), changes: 1 }),
    event: { type: 'file-digest', actual: OTHER },
    effects: startOver,
    done: [],
    error: 'server-changed',
    retry: false,
    restarted: false,
  },
  {
    name: 'stopped with the file complete: it is checked now',
    target: chunked,
    state: stateWith(chunked, { journal: journalWith(chunked, [0, 1, 2]) }),
    event: { type: 'stopped' },
    effects: ['check-file'],
    done: [0, 1, 2],
  },
  {
    name: 'stopped with chunks missing (a pause): the journal stays as it is',
    target: chunked,
    state: stateWith(chunked),
    event: { type: 'stopped' },
    effects: [],
    done: [0, 1],
  },
  {
    name: 'stopped after the file was finished: nothing to check again',
    target: chunked,
    state: stateWith(chunked, { journal: journalWith(chunked, [0, 1, 2]), finished: true }),
    event: { type: 'stopped' },
    effects: [],
    done: [0, 1, 2],
    finished: true,
  },
];

describe('journalMachine', () => {
  it.each(rows)('$name', (row) => {
    const step = transition(row.state, row.event, { target: row.target, now: NOW });
    expect(step.effects.map((e) => e.kind)).toEqual(row.effects);
    expect(step.state.journal.done).toEqual(row.done);
    if (row.validator !== undefined) {
      expect(step.state.journal.validator?.etag ?? null).toBe(row.validator);
    }
    expect(step.error?.code).toBe(row.error);
    expect(step.retry).toBe(row.retry);
    expect(step.state.changes).toBe(row.changes ?? row.state.changes);
    expect(step.state.restarted).toBe(row.restarted ?? row.state.restarted);
    expect(step.state.finished).toBe(row.finished ?? row.state.finished);
  });

  it('merges a verified chunk into the stored journal, keeping what another connection added', () => {
    const state = stateWith(chunked, { journal: journalWith(chunked, [0]) });
    const step = transition(
      state,
      { type: 'chunk-verified', index: 2 },
      { target: chunked, now: NOW },
    );
    const merge = step.effects[0];
    if (merge?.kind !== 'merge-journal') throw new Error('expected a merge');
    expect(merge.change(journalWith(chunked, [0, 1])).done).toEqual([0, 1, 2]);
  });

  it('keeps a validator another connection stored first', () => {
    const state = stateWith(chunked);
    const seen = { etag: '"v2"', lastModified: null };
    const step = transition(state, { type: 'response-seen', seen }, { target: chunked, now: NOW });
    const merge = step.effects[0];
    if (merge?.kind !== 'merge-journal') throw new Error('expected a merge');
    expect(merge.change(journalWith(chunked, [0], '"v1"')).validator?.etag).toBe('"v1"');
  });

  it('never changes the state it is given', () => {
    const state = stateWith(chunked, { journal: journalWith(chunked, [0, 1, 2]) });
    const before = structuredClone(state);
    for (const row of rows) transition(state, row.event, { target: chunked, now: NOW });
    expect(state).toEqual(before);
  });
});
