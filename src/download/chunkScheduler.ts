// Runs the chunks still missing from a model's files over N connections, one
// Range request per chunk. Each chunk is verified, committed to the store and
// only then journaled, so an interruption loses at most the chunk in flight
// per connection. Retries with backoff (reporting each connection's trouble
// as it happens), restarts a file that changed on the server, and stops every
// connection at the first error no retry can fix.

import type { ChunkPlan, PlannedChunk } from '../core/chunkPlan';
import type { JournalTarget, Validator } from '../core/downloadJournal';
import { AppError } from '../core/errors';
import type { JournalState } from '../core/journalMachine';
import type { ManifestFile } from '../core/manifest';
import type { ConnectionTrouble } from '../core/progress';
import { canRetry, retryDelay } from '../core/retrySchedule';
import { storageError } from '../core/storageError';
import type { StoredFileWriter } from '../storage/modelStore';
import type { EngineSettings } from './engineOptions';
import { type ChunkBuffer, ChunkFailure, fetchChunk, type ReceivedChunk } from './fetchChunk';
import { stepJournal } from './stepJournal';
import type { WholeFileHasher } from './wholeFileHasher';

/** One file of a download: its journal state (changed only by `stepJournal`) and its handles. */
export interface FileState extends JournalState {
  file: ManifestFile;
  url: string;
  plan: ChunkPlan;
  target: JournalTarget;
  writer: StoredFileWriter;
  hasher: WholeFileHasher | null;
  /** A Hub file: plain Range (no If-Range), behind a redirect to a signed storage URL. */
  hub?: boolean;
  /**
   * The Hub access token, sent as `Authorization` to the Hub endpoint only: the
   * browser drops it on the cross-origin redirect to the storage host.
   */
  token?: string;
  /** Bumped when the file is reset: work begun under an older generation is dropped. */
  generation: number;
}

interface Task {
  state: FileState;
  chunk: PlannedChunk;
  /** Failed attempts so far. */
  failures: number;
}

export interface SchedulerHooks {
  /** Bytes received (negative when received bytes are thrown away). */
  onBytes(n: number): void;
  /**
   * A connection met trouble it will retry after (a stall, a too-slow host, an
   * error status), reported when it is detected; null once it receives bytes
   * again or moves on.
   */
  onTrouble?(connection: number, trouble: ConnectionTrouble | null): void;
}

export async function runChunks(
  files: FileState[],
  settings: EngineSettings,
  signal: AbortSignal,
  hooks: SchedulerHooks,
): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort);
  if (signal.aborted) onAbort();
  const tasks = (state: FileState, chunks: PlannedChunk[]): Task[] =>
    chunks.map((chunk) => ({ state, chunk, failures: 0 }));
  const queue: Task[] = [];
  for (const state of files) queue.push(...tasks(state, missing(state)));
  let inFlight = 0;
  let wake: () => void = () => {};
  let changed = new Promise<void>((r) => (wake = r));
  const notify = () => {
    wake();
    changed = new Promise<void>((r) => (wake = r));
  };
  stop.signal.addEventListener('abort', notify);

  const nextTask = async (): Promise<Task | null> => {
    for (;;) {
      if (stop.signal.aborted) return null;
      const task = queue.shift();
      if (task) return task;
      if (inFlight === 0) return null;
      await changed;
    }
  };

  const resetFile = async (state: FileState, reason: AppError) => {
    state.generation++;
    // Before any await: no connection may start one of the file's queued chunks while it is reset.
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.state === state) queue.splice(i, 1);
    const bytes = doneBytes(state);
    // The partial file and its journal go (never two versions stitched), then every chunk again.
    const step = await stepJournal(state, {
      type: 'server-changed',
      reason,
      maxChanges: settings.retry.maxRetries,
    }).catch((error: unknown) => {
      throw storageError(error, { path: state.file.path });
    });
    if (step.error) throw step.error;
    hooks.onBytes(-bytes);
    queue.push(...tasks(state, state.plan.chunks));
    notify();
  };

  const connection = async (_: unknown, id: number) => {
    // One buffer per connection, reused for every chunk (fetchChunk sizes it).
    const buffer: ChunkBuffer = { bytes: new Uint8Array(0) };
    let troubled = false;
    const trouble = (t: ConnectionTrouble | null) => {
      if (!t && !troubled) return;
      troubled = t !== null;
      hooks.onTrouble?.(id, t);
    };
    for (;;) {
      const task = await nextTask();
      if (!task) return trouble(null);
      inFlight++;
      try {
        await runTask(task, buffer, trouble);
      } catch (error) {
        if (!stop.signal.aborted) stop.abort(error);
      } finally {
        trouble(null);
        inFlight--;
        notify();
      }
    }
  };

  const runTask = async (
    task: Task,
    buffer: ChunkBuffer,
    trouble: (t: ConnectionTrouble | null) => void,
  ) => {
    const { state, chunk } = task;
    const generation = state.generation;
    const current = () => generation === state.generation && !stop.signal.aborted;
    for (;;) {
      if (state.journal.done.includes(chunk.index)) return;
      let unkept = 0; // bytes received of this chunk: lost if this attempt fails
      try {
        const received = await fetchChunk({
          url: state.url,
          path: state.file.path,
          chunk,
          fileSize: state.file.size,
          validator: state.journal.validator,
          plainRange: state.hub === true,
          redirected: state.hub === true,
          token: state.token,
          writer: state.writer,
          buffer,
          watch: settings,
          signal: stop.signal,
          current,
          onBytes: (n) => {
            if (unkept === 0) trouble(null);
            unkept += n;
            hooks.onBytes(n);
          },
        });
        // Verified and journaled even when a pause comes meanwhile: a pause keeps it.
        await keepChunk(state, chunk, received, generation);
        return;
      } catch (error) {
        hooks.onBytes(-unkept);
        if (stop.signal.aborted) throw stop.signal.reason;
        if (generation !== state.generation) return; // the file was reset; its chunks are queued again
        // Network faults arrive as ChunkFailures; the rest came from the store or the
        // journal (a DOMException: storage-failed) or is a bug (internal, never expected).
        const failure =
          error instanceof ChunkFailure
            ? error
            : new ChunkFailure(storageError(error, { path: state.file.path }), false);
        if (failure.error.code === 'server-changed')
          return void (await resetFile(state, failure.error));
        task.failures++;
        if (!failure.retryable || !canRetry(task.failures, settings.retry))
          throw finalError(state, failure.error);
        const delay = retryDelay(task.failures, settings.retry, {
          retryAfterMs: failure.retryAfterMs,
        });
        trouble(troubleOf(state, failure.error, task.failures, delay));
        await sleep(delay, stop.signal);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: settings.connections }, connection));
    if (stop.signal.aborted) throw stop.signal.reason;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Verifies one chunk whose bytes have all arrived (its digest was started as
 * its last byte came, from the bytes that were written), commits it, and only
 * then journals it. A pause does not stop it: a verified chunk is kept.
 */
async function keepChunk(
  state: FileState,
  chunk: PlannedChunk,
  received: ReceivedChunk,
  generation: number,
): Promise<void> {
  const current = () => generation === state.generation;
  if (received.sha256) {
    const actual = await received.sha256;
    if (actual !== chunk.sha256) {
      const details = { path: state.file.path, chunk: chunk.index, offset: chunk.offset };
      throw new ChunkFailure(
        new AppError('validation-failed', { ...details, expected: chunk.sha256, actual }),
        true,
      );
    }
  }
  if (!current()) throw stale();
  await adoptValidator(state, received.seen);
  await commit(state, chunk, received.bytes);
  if (!current()) throw stale();
  await stepJournal(state, { type: 'chunk-verified', index: chunk.index }).catch(
    (error: unknown) => {
      throw storageError(error, { path: state.file.path, chunk: chunk.index });
    },
  );
  if (!current()) throw stale();
  if (!state.hasher) return;
  if (state.plan.verification === 'whole-file') {
    // The file's only check: the connection waits (at most two chunks behind), and
    // hands over its buffer when the chunk is in line (else it is read back).
    await state.hasher.add(chunk.index, received.bytes);
  } else {
    // The chunk is verified already; its bytes join the file's hash in the
    // background, read back from the store when in line, so the connection goes
    // straight on to its next chunk. A failure surfaces in the final digest.
    state.hasher.add(chunk.index, null).catch(() => {});
  }
}

/** The first response's validator becomes the file's; a later different one means the file changed. */
async function adoptValidator(state: FileState, seen: Validator | null): Promise<void> {
  const step = await stepJournal(state, { type: 'response-seen', seen });
  if (step.error) throw new ChunkFailure(step.error, true);
}

async function commit(
  state: FileState,
  chunk: PlannedChunk,
  bytes: Uint8Array | null,
): Promise<void> {
  try {
    await state.writer.commitChunk(chunk.offset, bytes);
  } catch (error) {
    // A full quota or a failing store: neither is fixed by fetching again.
    throw new ChunkFailure(storageError(error, { path: state.file.path }), false);
  }
}

/** Bytes that stopped matching the manifest after the file changed on the server: say so. */
function finalError(state: FileState, error: AppError): AppError {
  if (error.code !== 'validation-failed' || state.changes === 0) return error;
  return new AppError('server-changed', {
    ...error.details,
    reason: 'the file changed on the server and no longer matches the manifest',
  });
}

/** What the page shows while a connection waits to retry ("Stalled — retrying"). */
function troubleOf(
  state: FileState,
  error: AppError,
  attempt: number,
  retryInMs: number,
): ConnectionTrouble {
  const reason = typeof error.details.reason === 'string' ? error.details.reason : error.code;
  return { path: state.file.path, reason, message: error.message, attempt, retryInMs };
}

function missing(state: FileState): PlannedChunk[] {
  const done = new Set(state.journal.done);
  return state.plan.chunks.filter((c) => !done.has(c.index));
}

export function doneBytes(state: FileState): number {
  const done = new Set(state.journal.done);
  return state.plan.chunks.reduce((sum, c) => sum + (done.has(c.index) ? c.length : 0), 0);
}

function stale(): ChunkFailure {
  return new ChunkFailure(new AppError('server-changed', { reason: 'file was reset' }), true);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
