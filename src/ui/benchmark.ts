// The Diagnostics benchmark: a cold load of the active model, one short reply
// to a fixed prompt (time to first token, tokens per second) and the memory
// the browser reports, kept in localStorage with the date and app version.

import { signal } from '@preact/signals';
import { addBenchmark, type BenchmarkRecord, benchmarkFileName } from '../core/benchmarkHistory';
import { AppError } from '../core/errors';
import { DEFAULT_GENERATION, type TextEngine } from '../inference/types';
import type { InstalledModel } from '../storage/db';
import { textLoadRequest } from './modelPlan';

const KEY = 'runanywhere.benchmarks';
const PROMPT = 'Once upon a time, there was a little dog';

export const benchmarks = signal<BenchmarkRecord[]>([]);
export const benchmarkRunning = signal(false);
export const benchmarkError = signal<AppError | null>(null);

export function loadBenchmarks(): void {
  try {
    benchmarks.value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as BenchmarkRecord[];
  } catch {
    benchmarks.value = [];
  }
}

/** Memory of this page and its workers; null where the browser cannot say within 5 s. */
async function measureMemory(): Promise<number | null> {
  const perf = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
  };
  if (!self.crossOriginIsolated || typeof perf.measureUserAgentSpecificMemory !== 'function')
    return null;
  // Chromium answers after its next garbage collection, which can take a while.
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000));
  const result = await Promise.race([perf.measureUserAgentSpecificMemory(), timeout]).catch(
    () => null,
  );
  return result ? result.bytes : null;
}

export async function runBenchmark(engine: TextEngine, model: InstalledModel): Promise<void> {
  if (benchmarkRunning.value) return;
  benchmarkRunning.value = true;
  benchmarkError.value = null;
  try {
    const request = await textLoadRequest(model.manifest);
    // A cold load: the same model already in memory would measure nothing.
    await engine.unload();
    const started = performance.now();
    await engine.load(request);
    const loadMs = performance.now() - started;
    const handle = engine.generate([{ role: 'user', content: PROMPT }], {
      ...DEFAULT_GENERATION,
      maxNewTokens: 32,
    });
    for await (const _ of handle.text) {
      // The stats carry the timings; the text is not shown.
    }
    const stats = await handle.done;
    const record: BenchmarkRecord = {
      at: new Date().toISOString(),
      appVersion: __APP_VERSION__,
      modelKey: model.key,
      modelName: model.manifest.name,
      loadMs: Math.round(loadMs),
      timeToFirstTokenMs: Math.round(stats.timeToFirstTokenMs),
      tokensPerSecond: Math.round(stats.tokensPerSecond * 10) / 10,
      tokens: stats.tokens,
      memoryBytes: await measureMemory(),
    };
    benchmarks.value = addBenchmark(benchmarks.value, record);
    try {
      localStorage.setItem(KEY, JSON.stringify(benchmarks.value));
    } catch {
      // Not kept past this visit; the result is still shown and exportable.
    }
  } catch (error) {
    benchmarkError.value = AppError.from(error, 'inference-failed');
  } finally {
    benchmarkRunning.value = false;
  }
}

export function exportBenchmarks(): void {
  const at = new Date();
  const blob = new Blob([`${JSON.stringify(benchmarks.value, null, 2)}\n`], {
    type: 'application/json',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = benchmarkFileName(at);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
