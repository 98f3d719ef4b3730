// Thread counts of the peer benchmark (`BENCH_THREADS`): which counts both sides run at,
// and the check that each side really ran at the asked count (a silent fallback to one
// thread would make a multithreaded figure a single-threaded one).

/** The multithreaded count: the one both engines default to in the app, at most 4. */
export function multiThreadCount(cpus: number): number {
  return Math.max(1, Math.min(4, Math.floor(cpus)));
}

/**
 * The thread counts asked for by `BENCH_THREADS` (a comma list of positive integers), in
 * the order given, without repeats; unset or empty: 1 and the multithreaded count.
 */
export function benchThreads(value: string | undefined, cpus: number): number[] {
  const text = value?.trim() ?? '';
  const asked =
    text === ''
      ? [1, multiThreadCount(cpus)]
      : text.split(',').map((part) => {
          const n = Number(part.trim());
          if (!Number.isInteger(n) || n < 1) {
            throw new Error(
              `BENCH_THREADS: "${part.trim()}" is not a positive whole number (give e.g. 1,4)`,
            );
          }
          return n;
        });
  return [...new Set(asked)];
}

/** The count each side reported using for one run. */
export interface ThreadsUsed {
  ours: number;
  peer: number;
}

/** Throws, naming the side, unless both sides ran at `asked` threads. */
export function checkThreadsUsed(asked: number, used: ThreadsUsed): void {
  const wrong = (['ours', 'peer'] as const).filter((side) => used[side] !== asked);
  if (wrong.length > 0) {
    const said = wrong.map((side) => `${side} ran at ${used[side]}`).join(', ');
    throw new Error(`asked for ${asked} threads but ${said}: the figures would not be comparable`);
  }
}
