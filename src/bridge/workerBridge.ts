// The one bridge that owns a worker's life (download, hash, each runtime):
// starts it on first use, queues calls so one failure cannot poison the next,
// turns a dead worker (crash, out of memory, closed by the browser) into one
// typed error for every pending call, gives up on calls that exceed their time
// limit, and ends the worker when idle. The next call starts a fresh worker.

import { type Remote, releaseProxy, wrap } from 'comlink';
import './transferErrors';
import { AppError, type ErrorCode, type ErrorDetails } from '../core/errors';
import { lifeSignalLock } from './lifeSignal';

export interface WorkerBridgeOptions {
  /** Names the worker (devtools) and its life lock. */
  name: string;
  /** Creates the worker; receives the unique name it must be given. */
  create(name: string): Worker;
  /** End the worker after this long without calls; 0 keeps it. */
  idleMs?: number;
  /**
   * Whether calls wait for every earlier call to settle (default true). A
   * worker that serves many calls at once (the download worker: a pause must
   * reach a download in flight) turns it off.
   */
  serial?: boolean;
  /** How long a new worker may take to say it is alive. */
  startTimeoutMs?: number;
  /**
   * The error every pending call gets when the worker dies (default
   * `runtime-crashed`); its details gain `worker` (the name) and `cause`.
   */
  crashError?: { code: ErrorCode; details?: ErrorDetails };
}

export interface CallOptions {
  /** Reject and end the worker when the call takes longer. */
  timeoutMs?: number;
  /** The error a timeout gives (default: the bridge's crash error). */
  timeoutError?: { code: ErrorCode; details?: ErrorDetails };
}

interface Session<Api> {
  worker: Worker;
  remote: Remote<Api>;
  /** Rejects with the crash error when the worker dies. */
  died: Promise<never>;
  alive: Promise<void>;
  ended: boolean;
  stopWatching: AbortController;
  fail(error: AppError): void;
}

let sequence = 0;

export class WorkerBridge<Api> {
  private session: Session<Api> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Counts workers started; an engine compares it to know its model is gone. */
  generation = 0;

  constructor(private readonly options: WorkerBridgeOptions) {}

  private get crashCode(): ErrorCode {
    return this.options.crashError?.code ?? 'runtime-crashed';
  }

  private crashError(why: ErrorDetails): AppError {
    const details = this.options.crashError?.details ?? {};
    return new AppError(this.crashCode, { ...details, worker: this.options.name, ...why });
  }

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.session !== null;
  }

  /** Runs `task` on a live worker, after every earlier call has settled unless the bridge is not serial. */
  call<R>(task: (remote: Remote<Api>) => Promise<R>, options: CallOptions = {}): Promise<R> {
    this.pending++;
    this.clearIdle();
    let run: Promise<R>;
    if (this.options.serial === false) run = this.execute(task, options);
    else {
      run = this.tail.then(() => this.execute(task, options));
      // The queue continues whether this call fails or not.
      this.tail = run.catch(() => {});
    }
    return run.finally(() => {
      this.pending--;
      this.scheduleIdle();
    });
  }

  /** Runs `task` at once, beside the queue (e.g. an interrupt); nothing if no worker runs. */
  async now<R>(task: (remote: Remote<Api>) => Promise<R>): Promise<R | undefined> {
    const session = this.session;
    if (!session) return undefined;
    return this.guard(session, task(session.remote));
  }

  /** Ends the worker now; calls still waiting on it fail with `cancelled`. */
  terminate(reason = 'terminated'): void {
    const session = this.session;
    if (!session) return;
    this.session = null;
    // Callers already told why (crash, timeout) keep that error; the rest learn it was ended.
    session.fail(new AppError('cancelled', { worker: this.options.name, reason }));
    session.ended = true;
    session.stopWatching.abort();
    session.remote[releaseProxy]();
    session.worker.terminate();
    this.clearIdle();
  }

  private async execute<R>(
    task: (remote: Remote<Api>) => Promise<R>,
    options: CallOptions,
  ): Promise<R> {
    const session = this.session ?? this.start();
    await this.guard(session, session.alive);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout =
      options.timeoutMs && options.timeoutMs > 0
        ? new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const reason = `timed out after ${options.timeoutMs} ms`;
              reject(
                options.timeoutError
                  ? new AppError(options.timeoutError.code, {
                      ...options.timeoutError.details,
                      reason,
                    })
                  : this.crashError({ reason }),
              );
              // A runtime that overran cannot be trusted to come back: start afresh next time.
              if (this.session === session) this.terminate('timeout');
            }, options.timeoutMs);
          })
        : null;
    try {
      const work = this.guard(session, task(session.remote));
      return await (timeout ? Promise.race([work, timeout]) : work);
    } catch (error) {
      // A worker that reports its own crash (a WebAssembly abort) is unusable too.
      if (AppError.is(error, this.crashCode) && this.session === session) this.terminate('crashed');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private guard<R>(session: Session<Api>, call: Promise<R>): Promise<R> {
    return Promise.race([call, session.died]);
  }

  private start(): Session<Api> {
    const name = `${this.options.name}#${++sequence}-${Math.random().toString(36).slice(2, 10)}`;
    const worker = this.options.create(name);
    let fail: (error: AppError) => void = () => {};
    // Set synchronously by the executor below.
    const died = new Promise<never>((_, reject) => {
      fail = reject;
    });
    died.catch(() => {});
    const stopWatching = new AbortController();
    const session: Session<Api> = {
      worker,
      remote: wrap<Api>(worker),
      died,
      alive: Promise.resolve(),
      ended: false,
      stopWatching,
      fail,
    };
    const crashed = (cause: string) => {
      if (session.ended) return;
      fail(this.crashError({ cause }));
      if (this.session === session) this.terminate('crashed');
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      crashed(event.message || 'worker error');
    });
    worker.addEventListener('messageerror', () => crashed('a message could not be read'));
    session.alive = new Promise<void>((resolve, reject) => {
      const startTimer = setTimeout(() => {
        reject(this.crashError({ cause: 'worker did not start' }));
        crashed('worker did not start');
      }, this.options.startTimeoutMs ?? 60_000);
      const onMessage = (event: MessageEvent) => {
        const lock = lifeSignalLock(event.data);
        if (lock === null) return;
        worker.removeEventListener('message', onMessage);
        clearTimeout(startTimer);
        resolve();
        if (lock && navigator.locks) {
          // Granted only once the worker no longer holds it, i.e. when it died.
          navigator.locks
            .request(lock, { signal: stopWatching.signal }, () =>
              crashed('worker ended unexpectedly'),
            )
            .catch(() => {});
        }
      };
      worker.addEventListener('message', onMessage);
    });
    session.alive.catch(() => {});
    this.session = session;
    this.generation++;
    return session;
  }

  private scheduleIdle() {
    const idleMs = this.options.idleMs ?? 0;
    if (idleMs <= 0 || this.pending > 0 || !this.session) return;
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      if (this.pending === 0) this.terminate('idle');
    }, idleMs);
  }

  private clearIdle() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
