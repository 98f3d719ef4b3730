// Harness page of the download benchmark (tests/bench/download.bench.ts): runs
// the engine through the app's download service (in the test-only worker entry,
// which takes the engine's knobs), and the baseline and the prototypes in a
// bench worker, timing each call from the page alike.
import { wrap } from 'comlink';
import '../../../src/bridge/transferErrors';
import { AppError } from '../../../src/core/errors';
import type { EngineOptions } from '../../../src/download/engineOptions';
import type { BenchWorkerApi, PrototypeOptions, RunResult } from './bench-download.types';
import { settingsOf, TestingDownloadClient } from './testingDownloadClient';

const worker = wrap<BenchWorkerApi>(
  new Worker(new URL('./bench-download.worker.ts', import.meta.url), {
    type: 'module',
    name: 'bench',
  }),
);

const downloads = new TestingDownloadClient();

async function timed(run: () => Promise<number>): Promise<RunResult> {
  const started = performance.now();
  const bytes = await run();
  return { ms: performance.now() - started, bytes };
}

/** Playwright shows only an error's message: put an AppError's details (its cause) in it. */
function withDetails(error: unknown): never {
  if (error instanceof AppError)
    throw new Error(`${error.message} ${JSON.stringify(error.details)}`);
  throw error;
}

const bench = {
  /** Starts both workers, so that their start-up is part of the idle memory. */
  async warm(): Promise<void> {
    await downloads.cancelDownload('about:blank');
    await worker.ping();
  },
  /** Ours, as the app runs it: the app's download worker, with the engine's options. */
  ours: async (manifestUrl: string, options: EngineOptions = {}) => {
    await downloads.setEngineOptions(options);
    return timed(
      async () => (await downloads.startDownload(manifestUrl, () => {}, settingsOf(options))).bytes,
    );
  },
  baseline: async (fileUrl: string) => {
    const started = performance.now();
    const result = await worker.fetchAndDiscard(fileUrl);
    return { ...result, ms: performance.now() - started };
  },
  /** A stripped-down downloader in the bench worker, for finding where time goes. */
  prototype: async (fileUrl: string, size: number, options: PrototypeOptions) => {
    const started = performance.now();
    const result = await worker.prototype(fileUrl, size, options).catch(withDetails);
    return { ...result, ms: performance.now() - started };
  },
  clear: () => worker.clearModels(),
  usage: () => worker.usage(),
};

export type BenchPage = typeof bench;
Object.assign(window, { benchDownload: bench });
