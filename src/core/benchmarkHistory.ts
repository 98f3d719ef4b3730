// Benchmark results kept on the device: one record per run of the Diagnostics
// benchmark, newest first, a bounded list, and the file name of an export.

export interface BenchmarkRecord {
  /** ISO date of the run. */
  at: string;
  appVersion: string;
  modelKey: string;
  modelName: string;
  /** Load from storage into the runtime, after an unload (a cold load). */
  loadMs: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  tokens: number;
  /**
   * Memory of the page and its workers after the run, where the browser can
   * measure it (`measureUserAgentSpecificMemory`, cross-origin isolated only).
   */
  memoryBytes: number | null;
}

export const MAX_BENCHMARKS = 50;

/** `history` with `record` first, oldest runs dropped past `max`. */
export function addBenchmark(
  history: readonly BenchmarkRecord[],
  record: BenchmarkRecord,
  max = MAX_BENCHMARKS,
): BenchmarkRecord[] {
  return [record, ...history].slice(0, Math.max(0, max));
}

export function benchmarkFileName(at: Date): string {
  return `runanywhere-benchmarks-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}
