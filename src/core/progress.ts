// Download progress in the user's terms: bytes done of total, a smoothed rate,
// time left, and any connection waiting to retry (a stall, a too-slow host),
// emitted at most `intervalMs` apart so the UI is not flooded — except a
// change of trouble, which is shown the moment it is detected.

export interface ProgressSnapshot {
  doneBytes: number;
  totalBytes: number;
  /** Bytes per second over the recent window; 0 until measurable. */
  bytesPerSecond: number;
  /** Seconds left at the current rate, or null when unknown. */
  secondsLeft: number | null;
  /** Connections waiting to retry, one entry each; absent or empty when all is well. */
  trouble?: ConnectionTrouble[];
}

/** Why one connection is waiting to retry. */
export interface ConnectionTrouble {
  path: string;
  /** 'stalled', 'too-slow', 'overlong-body', 'truncated', … or the error code (e.g. 'http-status'). */
  reason: string;
  /** The error's message, for the user. */
  message: string;
  /** Failed attempts so far. */
  attempt: number;
  retryInMs: number;
}

export interface ProgressOptions {
  totalBytes: number;
  /** Bytes already done before tracking starts (a resumed download); not counted in the rate. */
  doneBytes?: number;
  intervalMs?: number;
  /** Width of the window the rate is averaged over. */
  windowMs?: number;
  now?: () => number;
}

export class ProgressTracker {
  private done = 0;
  private lastEmit = Number.NEGATIVE_INFINITY;
  private readonly samples: Array<{ t: number; bytes: number }> = [];
  private readonly trouble = new Map<number, ConnectionTrouble>();
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  readonly totalBytes: number;

  constructor(options: ProgressOptions) {
    this.totalBytes = options.totalBytes;
    this.intervalMs = options.intervalMs ?? 250;
    this.windowMs = options.windowMs ?? 3000;
    this.now = options.now ?? (() => performance.now());
    this.done = options.doneBytes ?? 0;
    this.samples.push({ t: this.now(), bytes: this.done });
  }

  /** Records `bytes` more done; returns a snapshot when one is due, else null. */
  add(bytes: number): ProgressSnapshot | null {
    this.done += bytes;
    const t = this.now();
    this.samples.push({ t, bytes: this.done });
    while (this.samples.length > 2 && t - (this.samples[1]?.t ?? t) > this.windowMs) {
      this.samples.shift();
    }
    if (t - this.lastEmit < this.intervalMs && this.done < this.totalBytes) return null;
    this.lastEmit = t;
    return this.snapshot();
  }

  /** Sets (or clears, with null) one connection's trouble; returns a snapshot at once. */
  setTrouble(connection: number, trouble: ConnectionTrouble | null): ProgressSnapshot {
    if (trouble) this.trouble.set(connection, trouble);
    else this.trouble.delete(connection);
    this.lastEmit = this.now();
    return this.snapshot();
  }

  snapshot(): ProgressSnapshot {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const elapsed = first && last ? (last.t - first.t) / 1000 : 0;
    const rate = first && last && elapsed > 0 ? (last.bytes - first.bytes) / elapsed : 0;
    const left = this.totalBytes - this.done;
    return {
      doneBytes: this.done,
      totalBytes: this.totalBytes,
      bytesPerSecond: rate,
      secondsLeft: left <= 0 ? 0 : rate > 0 ? left / rate : null,
      trouble: [...this.trouble.values()],
    };
  }
}

/** "1.4 MB", "512 B": decimal units, as storage is sold. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const u of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = u;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** "3 s", "2 min 5 s", "1 h 4 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** One line for the user while connections wait to retry, e.g. "Stalled — retrying"; null when none do. */
export function troubleText(trouble: readonly ConnectionTrouble[] | undefined): string | null {
  if (!trouble || trouble.length === 0) return null;
  const reasons = new Set(trouble.map((t) => t.reason));
  if (reasons.has('stalled')) return 'Stalled — retrying';
  if (reasons.has('too-slow')) return 'Too slow — retrying';
  return 'Connection problem — retrying';
}
