// Publishes the latest of a fast stream of values at most once per frame: a
// reply's tokens can arrive faster than the screen shows them, and a backlog
// must cost one render, not one per token.

/** Runs a callback before the next paint; returns a function that cancels it. */
export type FrameScheduler = (callback: () => void) => () => void;

/** `requestAnimationFrame`, or a 16 ms timer where there is none (a hidden tab has none running). */
export const nextFrame: FrameScheduler = (callback) => {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
    const id = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
};

export interface FramePacer<T> {
  /** Keeps `value` as the latest; it is published on the next frame. */
  push(value: T): void;
  /** Publishes the latest value now, if one is waiting. */
  flush(): void;
  /** Drops the waiting value, if any. */
  cancel(): void;
}

export function createFramePacer<T>(
  publish: (value: T) => void,
  schedule: FrameScheduler = nextFrame,
): FramePacer<T> {
  let waiting: { value: T } | null = null;
  let cancelFrame: (() => void) | null = null;
  const flush = () => {
    cancelFrame?.();
    cancelFrame = null;
    const next = waiting;
    waiting = null;
    if (next) publish(next.value);
  };
  return {
    push(value) {
      waiting = { value };
      cancelFrame ??= schedule(flush);
    },
    flush,
    cancel() {
      cancelFrame?.();
      cancelFrame = null;
      waiting = null;
    },
  };
}
