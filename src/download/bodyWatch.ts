// Watches one response body and ends it when the host misbehaves in time:
// silence longer than the stall timeout, or a trickle slower than the
// minimum throughput over its window (like curl's --speed-limit/--speed-time).
// One lazily re-armed timer per response, not a timer and a race per read.

import { AppError } from '../core/errors';
import { formatBytes } from '../core/progress';
import { ThroughputWindow, tooSlow } from '../core/throughputWindow';

export interface BodyWatchSettings {
  stallTimeoutMs: number;
  slowWindowMs: number;
  /** 0 turns the throughput rule off. */
  minBytesPerSecond: number;
}

export class BodyWatch {
  /** Why the body was ended (a retryable `network` error), or null while it is fine. */
  tripped: AppError | null = null;
  private last: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly window: ThroughputWindow;

  constructor(
    private readonly settings: BodyWatchSettings,
    private readonly where: Record<string, unknown>,
    private readonly onTrip: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = now();
    this.window = new ThroughputWindow(settings.slowWindowMs, this.last);
    this.arm(settings.stallTimeoutMs);
  }

  /** Bytes arrived; judged at once against the throughput floor. */
  received(bytes: number): void {
    const t = this.now();
    this.last = t;
    this.window.add(bytes, t);
    const rate = tooSlow(this.window, this.settings.minBytesPerSecond, t);
    if (rate !== null) this.trip(this.tooSlowError(rate));
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private trip(error: AppError): void {
    if (this.tripped) return;
    this.tripped = error;
    this.stop();
    this.onTrip();
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => {
      const ms = this.settings.stallTimeoutMs;
      const idle = this.now() - this.last;
      if (idle >= ms) {
        const message = `The model server sent nothing for ${Math.round(ms / 1000)} s. Retrying.`;
        this.trip(new AppError('network', { ...this.where, reason: 'stalled', ms }, message));
      } else {
        this.arm(ms - idle);
      }
    }, delay);
  }

  private tooSlowError(rate: number): AppError {
    const { slowWindowMs, minBytesPerSecond } = this.settings;
    const bytesPerSecond = Math.round(rate);
    const message =
      `The connection to the model server was too slow (${formatBytes(bytesPerSecond)}/s over ` +
      `${Math.round(slowWindowMs / 1000)} s; at least ${formatBytes(minBytesPerSecond)}/s needed). Retrying.`;
    return new AppError(
      'network',
      {
        ...this.where,
        reason: 'too-slow',
        bytesPerSecond,
        minBytesPerSecond,
        windowMs: slowWindowMs,
      },
      message,
    );
  }
}
