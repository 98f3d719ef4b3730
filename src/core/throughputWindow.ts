// Bytes per second over a sliding time window, kept in a fixed number of
// buckets so that a fast body (thousands of reads a second) costs no memory:
// the pure half of the download engine's minimum-throughput rule.

export class ThroughputWindow {
  private readonly bucketMs: number;
  private readonly counts: number[];
  /** Index (since `start`) of the bucket `counts[epoch % n]` holds now. */
  private epoch = 0;

  constructor(
    readonly windowMs: number,
    private readonly start: number,
    buckets = 10,
  ) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
    this.bucketMs = windowMs / buckets;
    // One more than the window holds: the current bucket is only partly filled.
    this.counts = new Array<number>(buckets + 1).fill(0);
  }

  add(bytes: number, now: number): void {
    this.advance(now);
    const i = this.epoch % this.counts.length;
    this.counts[i] = (this.counts[i] ?? 0) + bytes;
  }

  /**
   * Bytes per second over (about) the last window, or null while less than one
   * whole window has passed since the start: a young response is not judged.
   */
  rate(now: number): number | null {
    if (now - this.start < this.windowMs) return null;
    this.advance(now);
    let bytes = 0;
    for (const c of this.counts) bytes += c;
    // The buckets cover one whole window before the current bucket, plus that bucket so far.
    const covered = (this.counts.length - 1) * this.bucketMs + this.sinceBucketStart(now);
    return (bytes * 1000) / covered;
  }

  private sinceBucketStart(now: number): number {
    return Math.max(1, now - this.start - this.epoch * this.bucketMs);
  }

  private advance(now: number): void {
    const target = Math.max(this.epoch, Math.floor((now - this.start) / this.bucketMs));
    // Buckets passed over are emptied (at most all of them).
    const steps = Math.min(target - this.epoch, this.counts.length);
    for (let s = 1; s <= steps; s++) {
      this.counts[(target - steps + s) % this.counts.length] = 0;
    }
    this.epoch = target;
  }
}

/** The measured rate when it is below the floor (a connection too slow to keep), else null. */
export function tooSlow(window: ThroughputWindow, floor: number, now: number): number | null {
  if (floor <= 0) return null;
  const rate = window.rate(now);
  return rate !== null && rate < floor ? rate : null;
}
