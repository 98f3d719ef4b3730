// Peer benchmark (`npm run bench:peers`): ours (the app's download worker into OPFS,
// then WorkerTextEngine on onnxruntime-web wasm) against llama.cpp compiled to wasm
// (@wllama/wllama, threads under cross-origin isolation), single- and multithreaded
// (both sides at each count), on the same seeded SmolLM2-135M-shaped weights: ONNX q8/q4 from tools/gen-llama.ts, GGUF Q8_0/Q4_0 from
// tools/gguf. In one Chromium run, alternating, greedy, the same prompt (checked to be
// the same token ids on both sides); checks whether both generate the same text, measures decode rate, time to first token for a
// short and a ~500-token prompt, renderer memory after load and at peak (each side
// loaded alone), and the machine's read bandwidth. Prints a table and, as the last
// line, one JSON object. Never fails on time.
//
// Memory is measured for each side alone in a fresh page, with the model and with
// the `tiny` shape (a few KiB: the runtime's fixed overhead), at the highest thread count.
//
// Knobs: BENCH_THREADS (1,N with N = min(4, CPUs)), BENCH_SHAPE (smollm2-135m),
// BENCH_TOKENS (64), BENCH_RUNS (4), BENCH_DTYPES (q8,q4), BENCH_SEED (1),
// BENCH_LONG_TOKENS (16: new tokens after the long prompt), BENCH_VERBOSE=1,
// BENCH_Q4_REWRITE (int8: the product's default, see docs/runtimes.md; fp32; off: MatMulNBits as stored),
// BENCH_MEMORY_ONLY=1 (memory only: no speed rounds).

import { mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { writeLlamaGguf } from '../../tools/gguf/llamaGguf';
import {
  LLAMA_SHAPES,
  type LlamaShapeName,
  randomLlamaWeights,
  syntheticVocab,
} from '../../tools/llama2c/randomLlama';
import { createAppServer } from '../../tools/serve/appServer';
import { createModelServer } from '../../tools/serve/modelServer';
import { harnessConfig } from '../../vite.harness.config';
import type { PeerRun, PeersPage } from '../browser/pages/bench-peers';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import {
  BENCH_SHAPE,
  type BenchDtype,
  type BenchModel,
  makeBenchModels,
} from './inference/benchModels';
import { measureReadBandwidth } from './support/bandwidth';
import { benchThreads, checkThreadsUsed } from './support/benchThreads';
import { type Cleanups, runInWorkspace } from './support/benchWorkspace';
import { BrowserMemorySampler, findBrowserPid } from './support/browserMemory';
import { median } from './support/median';
import {
  combineThreadCounts,
  comparePeers,
  type PeerSummary,
  printPeerTable,
  type ThreadedPeerSummary,
} from './support/peerReport';

const TOKENS = envNumber('BENCH_TOKENS', 64);
const RUNS = envNumber('BENCH_RUNS', 4);
const SEED = envNumber('BENCH_SEED', 1);
const LONG_TOKENS = envNumber('BENCH_LONG_TOKENS', 16);
const DTYPES = (process.env.BENCH_DTYPES ?? 'q8,q4')
  .split(',')
  .filter((d): d is BenchDtype => d === 'q8' || d === 'q4');
const GGUF_DTYPE = { q8: 'q8_0', q4: 'q4_0' } as const;
const SHORT_PROMPT =
  'Once upon a time, in a small village by the sea, there lived an old fisherman who';
const MEMORY_ONLY = process.env.BENCH_MEMORY_ONLY === '1';
const N_CTX = 1024;
const Q4_REWRITE =
  (['int8', 'fp32', 'off'] as const).find((r) => r === process.env.BENCH_Q4_REWRITE) ?? 'int8';
const MIB = 2 ** 20;
const SHAPE = shapeFromEnv(process.env.BENCH_SHAPE);
/** Thread counts, each run by both sides; memory is measured at the highest. */
const THREADS = benchThreads(process.env.BENCH_THREADS, cpus().length);
const MEMORY_THREADS = Math.max(...THREADS);

declare global {
  interface Window {
    benchPeers: PeersPage;
  }
}

async function run(tmp: string, cleanups: Cleanups): Promise<void> {
  const root = join(tmp, 'models');
  const startLoad = loadavg()[0] ?? 0;
  log(`generating the ${SHAPE} shape (seed ${SEED}) as ONNX ${DTYPES.join(', ')}`);
  const models = await makeBenchModels(root, DTYPES, SEED, SHAPE);
  const tinyModels = SHAPE === 'tiny' ? models : await makeBenchModels(root, DTYPES, SEED, 'tiny');
  // The same weights and vocab genLlama draws for the ONNX folders, written as GGUF.
  const ggufBytes: Record<string, number> = {};
  await mkdir(join(root, 'gguf'), { recursive: true });
  for (const shape of new Set([SHAPE, 'tiny'] as const)) {
    const config = LLAMA_SHAPES[shape];
    const weights = randomLlamaWeights(config, SEED);
    const vocab = syntheticVocab(config.vocabSize, SEED);
    for (const dtype of DTYPES) {
      const path = join(root, 'gguf', `${shape}-${GGUF_DTYPE[dtype]}.gguf`);
      const bytes = await writeLlamaGguf(path, config, weights, vocab, GGUF_DTYPE[dtype]);
      if (shape === SHAPE) ggufBytes[dtype] = bytes;
      log(`wrote ${path} (${(bytes / MIB).toFixed(shape === 'tiny' ? 3 : 0)} MiB)`);
    }
  }

  log('measuring the read bandwidth of this machine');
  const bandwidth = await measureReadBandwidth();
  log(
    `read bandwidth: ${bandwidth.singleGBps.toFixed(1)} GB/s on one thread, ${bandwidth.allGBps.toFixed(1)} GB/s on ${bandwidth.threads}`,
  );

  const pages = join(tmp, 'pages');
  const harness = harnessConfig('bench-peers');
  await build({ ...harness, build: { ...harness.build, outDir: pages } });
  const modelServer = await createModelServer({ root });
  const app = await createAppServer({ root: pages });
  cleanups.push(
    () => modelServer.close(),
    () => app.close(),
  );

  const profile = join(tmp, 'profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const verbose = process.env.BENCH_VERBOSE === '1';
  page.on('console', (m) => (verbose || m.type() === 'error') && log(`page: ${m.text()}`));
  page.on('pageerror', (e) => log(`page error: ${verbose ? e.stack : e.message}`));
  // Which 4-bit graph ours ran (derived at install, or rewritten at load): always shown.
  const showLoadReports = (on: Page) =>
    on.on('console', (m) => {
      if (m.text().startsWith('ours load report')) log(m.text());
    });
  showLoadReports(page);
  await page.goto(`${app.url}bench-peers.html`);
  await page.waitForFunction(() => 'benchPeers' in window);
  if (!(await page.evaluate(() => window.benchPeers.crossOriginIsolated()))) {
    throw new Error('the bench page is not cross-origin isolated: no wasm threads, no fair peer');
  }
  const pid = findBrowserPid(profile);
  if (!pid) throw new Error('browser process not found');
  const sampler = new BrowserMemorySampler(pid, 50, 'renderer');
  sampler.start();
  cleanups.push(async () => sampler.stop());

  /**
   * The two sides' calls on one page, for one model (ONNX in OPFS) and its GGUF, each
   * loading at `threads` (every load starts a new worker on both sides).
   */
  const sidesOn = (on: Page, model: BenchModel, gguf: string, threads: number) => ({
    ours: {
      load: () =>
        on.evaluate(([i, v, d, t, r]) => window.benchPeers.oursLoad(i, v, d, t, r), [
          model.id,
          model.version,
          model.dtype,
          threads,
          Q4_REWRITE,
        ] as const),
      generate: (prompt: string, _ids: number[], n: number) =>
        on.evaluate(([p, k]) => window.benchPeers.oursGenerate(p, k), [prompt, n] as const),
      unload: () => on.evaluate(() => window.benchPeers.oursUnload()),
    },
    peer: {
      load: () =>
        on.evaluate(([u, t, c]) => window.benchPeers.peerLoad(u, t, c), [
          gguf,
          threads,
          N_CTX,
        ] as const),
      generate: (prompt: string, _ids: number[], n: number) =>
        on.evaluate(([p, k]) => window.benchPeers.peerGenerate(p, k), [prompt, n] as const),
      unload: () => on.evaluate(() => window.benchPeers.peerUnload()),
    },
  });

  /**
   * One side's renderer memory above the idle level: after load (settled) and the peak
   * of load and a short generation. In a fresh page, closed afterwards, so nothing the
   * other side or an earlier load left in a renderer counts.
   */
  const measureMemory = async (name: 'ours' | 'peer', model: BenchModel, gguf: string) => {
    const fresh = await context.newPage();
    fresh.on('pageerror', (e) => log(`page error: ${verbose ? e.stack : e.message}`));
    showLoadReports(fresh);
    try {
      await fresh.goto(`${app.url}bench-peers.html`);
      await fresh.waitForFunction(() => 'benchPeers' in window);
      const side = sidesOn(fresh, model, gguf, MEMORY_THREADS)[name];
      const idle = await idleRenderer(context, fresh, sampler);
      const loadMs = await side.load();
      const during = sampler.window();
      await settle(700);
      const afterLoad = sampler.window();
      await side.generate(SHORT_PROMPT, [], Math.min(TOKENS, 16));
      const generating = sampler.window();
      await side.unload();
      return {
        loadMs,
        afterLoadMiB: (afterLoad.median - idle) / MIB,
        peakMiB: (Math.max(during.peak, afterLoad.peak, generating.peak) - idle) / MIB,
      };
    } finally {
      await fresh.close();
    }
  };

  const results: Record<string, ThreadedPeerSummary> = {};
  for (const model of models) {
    const dtype = model.dtype;
    const ms = await page.evaluate(([u, d]) => window.benchPeers.install(u, d), [
      `${modelServer.url}${model.urlPath}manifest.json`,
      dtype,
    ] as const);
    log(
      `${dtype}: installed ${(model.bytes / MIB).toFixed(0)} MiB into OPFS in ${ms.toFixed(0)} ms`,
    );
    await page.evaluate(([h, m]) => window.benchPeers.loadTokenizer(h, m), [
      `${modelServer.url}/`,
      `${model.id}/${model.version}`,
    ] as const);
    const shortIds = await page.evaluate((t) => window.benchPeers.encode(t), SHORT_PROMPT);
    const longPrompt = await makeLongPrompt(
      page,
      500,
      LLAMA_SHAPES[SHAPE].maxPositions - LONG_TOKENS,
    );
    const longIds = await page.evaluate((t) => window.benchPeers.encode(t), longPrompt);
    const ggufUrl = (shape: string) => `${modelServer.url}/gguf/${shape}-${GGUF_DTYPE[dtype]}.gguf`;
    const tiny = tinyModels.find((m) => m.dtype === dtype);
    if (!tiny) throw new Error(`no tiny ${dtype} model`);
    // With BENCH_SHAPE=tiny the model is its own fixed-overhead model: installed once.
    const separateTiny = tiny !== model;
    if (separateTiny) {
      await page.evaluate(([u, d]) => window.benchPeers.install(u, d), [
        `${modelServer.url}${tiny.urlPath}manifest.json`,
        dtype,
      ] as const);
    }

    // Memory: each side alone in a fresh page, from a collected idle renderer;
    // first with the tiny model (the runtime's fixed overhead), then the model.
    const memory = {
      ours: { afterLoadMiB: 0, peakMiB: 0, loadMs: 0 },
      peer: { afterLoadMiB: 0, peakMiB: 0, loadMs: 0 },
    };
    const fixed = { ours: 0, peer: 0 };
    for (const name of ['ours', 'peer'] as const) {
      const overhead = await measureMemory(name, tiny, ggufUrl('tiny'));
      fixed[name] = overhead.peakMiB;
      log(
        `${dtype} ${name} fixed overhead (tiny model): +${overhead.afterLoadMiB.toFixed(0)} MiB after load, peak +${overhead.peakMiB.toFixed(0)} MiB`,
      );
      memory[name] = await measureMemory(name, model, ggufUrl(SHAPE));
      log(
        `${dtype} ${name}: load ${memory[name].loadMs.toFixed(0)} ms, renderer +${memory[name].afterLoadMiB.toFixed(0)} MiB after load, peak +${memory[name].peakMiB.toFixed(0)} MiB`,
      );
    }
    if (separateTiny) {
      await page.evaluate(([i, v]) => window.benchPeers.remove(i, v), [
        tiny.id,
        tiny.version,
      ] as const);
    }

    // Speed, per thread count: both loaded at that count, alternating, one warm-up each.
    const byCount = new Map<number, PeerSummary>();
    for (const threads of MEMORY_ONLY ? [MEMORY_THREADS] : THREADS) {
      const runs: Record<'ours' | 'peer', { short: PeerRun[]; long: PeerRun[] }> = {
        ours: { short: [], long: [] },
        peer: { short: [], long: [] },
      };
      if (!MEMORY_ONLY) {
        const sides = sidesOn(page, model, ggufUrl(SHAPE), threads);
        for (const side of [sides.ours, sides.peer]) await side.load();
        const used = await page.evaluate(() => ({
          ours: window.benchPeers.oursThreads(),
          peer: window.benchPeers.peerThreads(),
        }));
        log(
          `${dtype} at ${threads} threads: ours ran at ${used.ours} (its LoadRequest), wllama at ${used.peer.threads} (multithread ${used.peer.multithread})`,
        );
        checkThreadsUsed(threads, { ours: used.ours, peer: used.peer.threads });
        for (const name of ['ours', 'peer'] as const)
          await sides[name].generate(SHORT_PROMPT, shortIds, 8); // warm-up
        for (let i = 0; i < RUNS; i++) {
          const order = i % 2 === 0 ? (['ours', 'peer'] as const) : (['peer', 'ours'] as const);
          for (const name of order) {
            const short = await sides[name].generate(SHORT_PROMPT, shortIds, TOKENS);
            const long = await sides[name].generate(longPrompt, longIds, LONG_TOKENS);
            runs[name].short.push(short);
            runs[name].long.push(long);
            log(
              `${dtype} ${name} ${threads}t #${i + 1}: ${short.tokens} tokens, ${short.tokensPerSec.toFixed(2)} tok/s, TTFT ${short.ttftMs.toFixed(0)} ms; ${longIds.length}-token prompt TTFT ${long.ttftMs.toFixed(0)} ms`,
            );
          }
        }
        for (const side of [sides.ours, sides.peer]) await side.unload();
      }
      const oursText = runs.ours.short[0]?.text ?? '';
      const peerText = runs.peer.short[0]?.text ?? '';
      log(`${dtype} ${threads}t ours text: ${JSON.stringify(oursText.slice(0, 80))}`);
      log(`${dtype} ${threads}t peer text: ${JSON.stringify(peerText.slice(0, 80))}`);
      byCount.set(
        threads,
        comparePeers({
          dtype,
          modelMiB: model.bytes / MIB,
          ggufMiB: (ggufBytes[dtype] ?? 0) / MIB,
          shortPromptTokens: shortIds.length,
          longPromptTokens: longIds.length,
          ours: { ...summariseRuns(runs.ours), ...memory.ours },
          peer: { ...summariseRuns(runs.peer), ...memory.peer },
          oursFixedMiB: fixed.ours,
          peerFixedMiB: fixed.peer,
          oursText,
          peerText,
          // llama.cpp's count of the prompts' tokens, against tokenizer.json's ids.
          promptTokensMatch:
            runs.peer.short[0]?.engine?.promptTokens === shortIds.length &&
            runs.peer.long[0]?.engine?.promptTokens === longIds.length,
          peerTokens: runs.peer.short[0]?.tokens ?? 0,
          oursTokens: runs.ours.short[0]?.tokens ?? 0,
          // The ceiling a count can reach: one thread's read rate, or every thread's.
          bandwidthGBps: threads === 1 ? bandwidth.singleGBps : bandwidth.allGBps,
        }),
      );
    }
    await page.evaluate(([i, v]) => window.benchPeers.remove(i, v), [
      model.id,
      model.version,
    ] as const);

    results[dtype] = combineThreadCounts(byCount);
  }
  sampler.stop();
  const endLoad = loadavg()[0] ?? 0;
  printPeerTable(results, [
    `model: ${SHAPE} shape, random weights, seed ${SEED}; ${TOKENS} new tokens, ${RUNS} alternating rounds after a warm-up`,
    `ours' q4: rewrite ${Q4_REWRITE}; threads: ${THREADS.join(', ')} (both sides at each; memory at ${MEMORY_THREADS}); CPUs: ${cpus().length}; load average (1 min) at start ${startLoad.toFixed(2)}, end ${endLoad.toFixed(2)}`,
    `read bandwidth: ${bandwidth.singleGBps.toFixed(1)} GB/s (1 thread), ${bandwidth.allGBps.toFixed(1)} GB/s (${bandwidth.threads} threads): the decode ceiling is that over the model's bytes per token (1 thread's at 1 thread, all threads' otherwise)`,
  ]);
  console.log(
    JSON.stringify({
      bench: 'peers',
      peer: '@wllama/wllama (llama.cpp wasm)',
      ...results,
      bandwidthGBps: { single: round(bandwidth.singleGBps), all: round(bandwidth.allGBps) },
      threads: MEMORY_THREADS,
      threadCounts: THREADS,
      shape: SHAPE,
      cpus: cpus().length,
      loadavg: { start: round(startLoad), end: round(endLoad) },
      q4Rewrite: Q4_REWRITE,
    }),
  );
}

function summariseRuns(runs: { short: PeerRun[]; long: PeerRun[] }) {
  return {
    tokPerSec: median(runs.short.map((r) => r.tokensPerSec)),
    ttftMs: median(runs.short.map((r) => r.ttftMs)),
    longTtftMs: median(runs.long.map((r) => r.ttftMs)),
  };
}

/**
 * A prompt of about `tokens` tokens: the short one's story, continued, repeated; never
 * over `limit` tokens (a small shape's context, its reply's tokens left free).
 */
async function makeLongPrompt(page: Page, tokens: number, limit: number): Promise<string> {
  const sentence =
    ' Every morning he walked down to the harbour, mended his nets and talked to the gulls about the weather.';
  const count = (t: string) => page.evaluate((p) => window.benchPeers.encode(p).length, t);
  let text = SHORT_PROMPT;
  while ((await count(text)) < tokens) {
    if ((await count(text + sentence)) > limit) break;
    text += sentence;
  }
  return text;
}

/** The renderer's resident memory once garbage is collected and it has settled. */
async function idleRenderer(
  context: BrowserContext,
  page: Page,
  sampler: BrowserMemorySampler,
): Promise<number> {
  // Every page, not only the fresh one: a worker the speed page ended is freed only
  // once that page's heap lets go of it (measured: q4 +195 MiB after load following
  // the q8 rounds, +464 MiB alone, when only the fresh page was collected).
  for (const open of new Set([page, ...context.pages()])) {
    const cdp = await context.newCDPSession(open);
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    await cdp.send('Memory.simulatePressureNotification', { level: 'critical' }).catch(() => {});
    await cdp.detach();
  }
  await settle(1000);
  sampler.window();
  // And memory still being given back would be subtracted from the load's: idle
  // is the level once two half-second medians agree.
  let last = Number.POSITIVE_INFINITY;
  for (let waited = 0; waited < 30_000; waited += 500) {
    await settle(500);
    const now = sampler.window().median;
    if (Math.abs(now - last) < IDLE_STABLE_BYTES) return now;
    last = now;
  }
  throw new Error('the renderer memory did not settle within 30 s: no idle level to measure from');
}

/** Two idle medians this close count as settled. */
const IDLE_STABLE_BYTES = 8 * MIB;

/** `BENCH_SHAPE`: one of tools/llama2c's shapes; unset: the benchmark's own. */
function shapeFromEnv(value: string | undefined): LlamaShapeName {
  if (!value) return BENCH_SHAPE.name;
  const shape = (Object.keys(LLAMA_SHAPES) as LlamaShapeName[]).find((name) => name === value);
  if (!shape) {
    throw new Error(`BENCH_SHAPE: "${value}" is none of ${Object.keys(LLAMA_SHAPES).join(', ')}`);
  }
  return shape;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number) => Number(n.toFixed(2));

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function log(message: string): void {
  console.log(`[bench:peers] ${message}`);
}

await runInWorkspace('bench-peers-', run);
