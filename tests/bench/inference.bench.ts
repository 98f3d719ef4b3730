// Inference benchmark (`npm run bench:inference`): a model of realistic size (the
// SmolLM2-135M shape, random weights, q8 and q4) generated and packed in a temp dir,
// served on loopback and run in real Chromium on wasm. Ours (the app's download
// worker into OPFS, then WorkerTextEngine) against a plain transformers.js pipeline
// on the page loading the same files from the server, in the same browser run; then
// stored bytes -> ready session from OPFS against onnxruntime-web's own
// InferenceSession.create from bytes already in memory (the load baseline). Prints
// tables and, as the last line, one JSON object. Never fails on time.
//
// Knobs: BENCH_TOKENS (64), BENCH_RUNS (4, after one warm-up; even, so each side goes first as often), BENCH_LOAD_RUNS (5),
// BENCH_DTYPES (q8,q4), BENCH_SEED (1), BENCH_PROFILE=1 (also runs the app's runtime
// without the page hop and the baseline's pipeline in a worker, to locate a difference).

import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { createAppServer } from '../../tools/serve/appServer';
import { createModelServer } from '../../tools/serve/modelServer';
import { harnessConfig } from '../../vite.harness.config';
import type { BenchPage } from '../browser/pages/bench-inference';
import type { GenerationRun } from '../browser/pages/bench-inference.types';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import {
  BENCH_SHAPE,
  type BenchDtype,
  type BenchModel,
  makeBenchModels,
} from './inference/benchModels';
import {
  type DtypeSamples,
  type DtypeSummary,
  LOAD_RATIO_TARGET,
  printTables,
  summarise,
} from './inference/inferenceReport';
import { type Cleanups, runInWorkspace } from './support/benchWorkspace';
import { median } from './support/median';

const TOKENS = envNumber('BENCH_TOKENS', 64);
const RUNS = envNumber('BENCH_RUNS', 4);
const LOAD_RUNS = envNumber('BENCH_LOAD_RUNS', 5);
const SEED = envNumber('BENCH_SEED', 1);
const PROFILE = process.env.BENCH_PROFILE === '1';
const DTYPES = (process.env.BENCH_DTYPES ?? 'q8,q4')
  .split(',')
  .filter((d): d is BenchDtype => d === 'q8' || d === 'q4');
const PROMPT = 'Once upon a time, in a small village by the sea, there lived an old fisherman who';

declare global {
  interface Window {
    benchInference: BenchPage;
  }
}

async function run(tmp: string, cleanups: Cleanups): Promise<void> {
  const root = join(tmp, 'models');
  const startLoad = loadavg()[0] ?? 0;
  log(`generating the ${BENCH_SHAPE.name} shape (seed ${SEED}) as ${DTYPES.join(', ')} in ${tmp}`);
  const models = await makeBenchModels(root, DTYPES, SEED);

  // Into the temp dir: a test run rebuilding dist-harness/ meanwhile cannot disturb it.
  log('building the harness page');
  const pages = join(tmp, 'pages');
  const config = harnessConfig('bench-inference');
  await build({ ...config, build: { ...config.build, outDir: pages } });
  const modelServer = await createModelServer({ root });
  const harness = await createAppServer({ root: pages });
  cleanups.push(
    () => modelServer.close(),
    () => harness.close(),
  );

  const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: findChromium(),
    // gc() lets the load-timing worker start each sample without the last one's garbage.
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const verbose = process.env.BENCH_VERBOSE === '1';
  page.on('console', (m) => (verbose || m.type() === 'error') && log(`page: ${m.text()}`));
  page.on('pageerror', (e) => log(`page error: ${verbose ? e.stack : e.message}`));
  if (verbose) page.on('worker', (w) => log(`worker started: ${w.url()}`));
  await page.goto(`${harness.url}bench-inference.html`);
  await page.waitForFunction(() => 'benchInference' in window);
  const threads = await page.evaluate(() => window.benchInference.workerThreads());
  log(`onnxruntime-web wasm threads (ours and baseline): ${threads}`);
  // The load baseline must be the very onnxruntime-web that transformers.js uses.
  const sameOrt = await page.evaluate(() => window.benchInference.workerSameOrt());
  if (!sameOrt) throw new Error('the load worker has two onnxruntime-web copies: no fair baseline');

  const summaries: Record<string, DtypeSummary> = {};
  for (const model of models) {
    summaries[model.dtype] = summarise(await benchDtype(page, model, modelServer.url, threads));
  }
  const endLoad = loadavg()[0] ?? 0;

  const headline = summaries.q8 ?? Object.values(summaries)[0];
  if (!headline) throw new Error('no dtype measured');
  printTables(summaries, [
    `model: ${BENCH_SHAPE.name} shape (${BENCH_SHAPE.numLayers} layers, hidden ${BENCH_SHAPE.hiddenSize}, vocab ${BENCH_SHAPE.vocabSize}), random weights, seed ${SEED}`,
    `prompt: ${JSON.stringify(PROMPT)}; ${TOKENS} new tokens; ${RUNS} measured runs after 1 warm-up; ${LOAD_RUNS} load samples`,
    `wasm threads: ${threads}; CPUs: ${cpus().length}; load average (1 min, /proc/loadavg) at start ${startLoad.toFixed(2)}, end ${endLoad.toFixed(2)}`,
  ]);
  const headlineDtype = summaries.q8 ? 'q8' : (DTYPES[0] as string);
  console.log(
    JSON.stringify({
      bench: 'inference',
      model: `${BENCH_SHAPE.name}-random`,
      backend: 'wasm',
      headlineDtype,
      tokensPerSec: headline.tokensPerSec,
      baselineTokensPerSec: headline.baselineTokensPerSec,
      ttftMs: headline.ttftMs,
      baselineTtftMs: headline.baselineTtftMs,
      speedRatio: headline.speedRatio,
      ttftRatio: headline.ttftRatio,
      loadOpfsMs: headline.loadOpfsMs,
      baselineLoadMs: headline.ortLoadMemoryMs,
      loadVsOrtRatio: headline.loadVsOrtRatio,
      loadMemoryMs: headline.loadMemoryMs,
      targets: {
        tokensPerSec: '>= baselineTokensPerSec',
        ttftMs: '<= baselineTtftMs',
        loadOpfsMs: `<= ${LOAD_RATIO_TARGET} * baselineLoadMs`,
      },
      met: headline.met,
      dtypes: summaries,
      tokens: TOKENS,
      runs: RUNS,
      loadRuns: LOAD_RUNS,
      threads,
      cpus: cpus().length,
      loadavg: { start: Number(startLoad.toFixed(2)), end: Number(endLoad.toFixed(2)) },
    }),
  );
}

/** One dtype: install, load ours and the baseline, alternate their runs, then load timings. */
async function benchDtype(
  page: Page,
  model: BenchModel,
  serverUrl: string,
  threads: number,
): Promise<DtypeSamples> {
  const loads: number[] = [loadavg()[0] ?? 0];
  const manifestUrl = `${serverUrl}${model.urlPath}manifest.json`;
  const { ms: installMs } = await page.evaluate(
    (url) => window.benchInference.install(url),
    manifestUrl,
  );
  log(
    `${model.dtype}: installed ${(model.bytes / 2 ** 20).toFixed(0)} MiB into OPFS in ${installMs.toFixed(0)} ms`,
  );

  const oursRequest = {
    id: model.id,
    version: model.version,
    dtype: model.dtype,
    prompt: PROMPT,
    maxNewTokens: TOKENS,
  };
  const baselineRequest = {
    remoteHost: `${serverUrl}/`,
    model: `${model.id}/${model.version}`,
    dtype: model.dtype,
    threads,
    prompt: PROMPT,
    maxNewTokens: TOKENS,
  };
  const oursLoadMs = await page.evaluate((r) => window.benchInference.oursLoad(r), oursRequest);
  const baselineLoadMs = await page.evaluate(
    (r) => window.benchInference.baselineLoad(r),
    baselineRequest,
  );
  log(
    `${model.dtype}: first load ours ${oursLoadMs.toFixed(0)} ms, baseline ${baselineLoadMs.toFixed(0)} ms`,
  );

  const oursRun = () => page.evaluate((r) => window.benchInference.oursGenerate(r), oursRequest);
  const baselineRun = () =>
    page.evaluate((r) => window.benchInference.baselineGenerate(r), baselineRequest);
  const show = (label: string, r: GenerationRun) =>
    log(
      `${model.dtype} ${label}: ${r.tokens} tokens, TTFT ${r.ttftMs.toFixed(0)} ms, ${r.tokensPerSec.toFixed(2)} tok/s`,
    );
  show('ours warm-up', await oursRun());
  show('baseline warm-up', await baselineRun());
  const ours: GenerationRun[] = [];
  const baseline: GenerationRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate who goes first: the machine is shared and its load drifts.
    const pair = i % 2 === 0 ? [oursRun, baselineRun] : [baselineRun, oursRun];
    for (const go of pair) {
      const result = await go();
      const mine = go === oursRun;
      (mine ? ours : baseline).push(result);
      show(`${mine ? 'ours' : 'baseline'} #${i + 1}`, result);
    }
    loads.push(loadavg()[0] ?? 0);
  }
  const profile = PROFILE
    ? await profileDtype(page, oursRequest, { oursRun, baselineRun })
    : undefined;
  await page.evaluate((d) => window.benchInference.oursUnload(d), model.dtype);
  await page.evaluate((d) => window.benchInference.baselineUnload(d), model.dtype);

  const onnxFile = model.files.find((f) => f.endsWith('.onnx')) as string;
  const loadRequest = {
    id: model.id,
    version: model.version,
    dtype: model.dtype,
    files: model.files.filter((f) => f !== 'manifest.json'),
    onnxFile,
    externalData: model.files.filter((f) => f.startsWith(`${onnxFile}_data`)),
  };
  const samples = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    const s = await page.evaluate(([r, n]) => window.benchInference.loadSample(r, n), [
      loadRequest,
      i,
    ] as const);
    samples.push(s);
    loads.push(loadavg()[0] ?? 0);
    log(
      `${model.dtype} load #${i + 1}: OPFS ${s.opfs.toFixed(0)} ms, memory ${s.memory.toFixed(0)} ms, ` +
        `ort memory ${s.ortMemory.toFixed(0)} ms, ort OPFS File ${s.ortOpfsFile.toFixed(0)} ms, read ${s.opfsRead.toFixed(0)} ms`,
    );
  }
  await page.evaluate(([id, v]) => window.benchInference.remove(id, v), [
    model.id,
    model.version,
  ] as const);
  return {
    dtype: model.dtype,
    modelMiB: model.bytes / 2 ** 20,
    installMs,
    oursLoadMs,
    baselineLoadMs,
    ours,
    baseline,
    loads: samples,
    loadavg: loads,
    profile,
  };
}

type Run = () => Promise<GenerationRun>;

/**
 * Profile mode: four configurations in rotation, one difference apart: ours (engine,
 * worker, page hop), the runtime in a worker without the hop, the baseline's pipeline
 * in a worker, and the baseline on the page. Medians of TTFT and tok/s per configuration.
 */
async function profileDtype(
  page: Page,
  request: Parameters<BenchPage['oursGenerate']>[0],
  runs: { oursRun: Run; baselineRun: Run },
): Promise<Record<string, { ttftMs: number; tokensPerSec: number }>> {
  const configs: Record<string, Run> = {
    ours: runs.oursRun,
    runtimeInWorker: () => page.evaluate((r) => window.benchInference.profileRuntime(r), request),
    pipelineInWorker: () => page.evaluate((r) => window.benchInference.profilePipeline(r), request),
    baselineOnPage: runs.baselineRun,
  };
  const names = Object.keys(configs);
  const results: Record<string, GenerationRun[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await configs[name]?.(); // warm-up (and first load)
  const rounds = Math.max(RUNS, 4);
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length] as string;
      const r = await (configs[name] as Run)();
      results[name]?.push(r);
      log(
        `${request.dtype} profile ${name}: TTFT ${r.ttftMs.toFixed(0)} ms, ${r.tokensPerSec.toFixed(2)} tok/s`,
      );
    }
  }
  await page.evaluate((d) => window.benchInference.profileUnload(d), request.dtype);
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        ttftMs: Number(median((results[n] ?? []).map((r) => r.ttftMs)).toFixed(1)),
        tokensPerSec: Number(median((results[n] ?? []).map((r) => r.tokensPerSec)).toFixed(2)),
      },
    ]),
  );
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function log(message: string): void {
  console.log(`[bench:inference] ${message}`);
}

await runInWorkspace('bench-inference-', run);
