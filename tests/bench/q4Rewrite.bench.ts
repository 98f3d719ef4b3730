// 4-bit decode options on onnxruntime-web's wasm build (`npm run bench:q4`), in Node:
// the same .wasm and kernels the browser runs, single-threaded, no browser around it.
// On the seeded SmolLM2-135M-shaped weights: q8 (MatMulInteger), plain q4
// (MatMulNBits), q4 with accuracy_level 4 and with block size 128, and q4 rewritten
// at load (src/core/onnx/rewriteQ4Model) to int8 MatMulInteger and to fp32 MatMul.
// All sessions stay loaded; rounds alternate the order. Prints ms/token per round,
// medians, ratios to q8, memory per session and, last, one JSON line.
//
// Knobs: BENCH_RUNS (3), BENCH_TOKENS (16 decode steps), BENCH_SEED (1), BENCH_THREADS (1),
// BENCH_VARIANTS (comma list of the names below), BENCH_ORT_BUILD: which `.wasm` build
// runs under the app's onnxruntime JavaScript (`onnxruntime-web/webgpu`): `plain` (default,
// what the app's wasm loads use) or `asyncify` (its WebGPU/WebNN build).

import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-web/webgpu';
import { rewriteQ4Model } from '../../src/core/onnx/rewriteQ4Model';
import { buildLlamaGraph, type LinearFactory } from '../../tools/llama2c/llamaGraph';
import { makeQ4Linear, q4Linear, q8Linear } from '../../tools/llama2c/quantize';
import { LLAMA_SHAPES, randomLlamaWeights } from '../../tools/llama2c/randomLlama';
import { encodeModel } from '../../tools/onnx/onnxModel';
import { median } from './support/median';

const RUNS = envNumber('BENCH_RUNS', 3);
const TOKENS = envNumber('BENCH_TOKENS', 16);
const SEED = envNumber('BENCH_SEED', 1);
const THREADS = envNumber('BENCH_THREADS', 1);
const PROMPT = [1, 504, 1002, 2003, 77, 3001, 905, 42];
const MIB = 2 ** 20;
const config = LLAMA_SHAPES['smollm2-135m'];

interface Variant {
  name: string;
  make: () => Promise<Uint8Array>;
}

const ORT_BUILD = process.env.BENCH_ORT_BUILD === 'asyncify' ? 'asyncify' : 'plain';

/** The build's glue and `.wasm` from the installed package (as ortEnvironment picks them in the app). */
function ortBuildPaths(build: 'plain' | 'asyncify'): { mjs: string; wasm: string } {
  const dist = dirname(
    createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'),
  );
  const name = build === 'plain' ? 'ort-wasm-simd-threaded' : 'ort-wasm-simd-threaded.asyncify';
  return { mjs: join(dist, `${name}.mjs`), wasm: join(dist, `${name}.wasm`) };
}

async function main(): Promise<void> {
  ort.env.wasm.numThreads = THREADS;
  ort.env.wasm.wasmPaths = ortBuildPaths(ORT_BUILD);
  const weights = randomLlamaWeights(config, SEED);
  const graph = (linear: LinearFactory) => encodeModel(buildLlamaGraph(config, weights, linear));
  let q4: Uint8Array | null = null;
  const plainQ4 = () => {
    q4 ??= graph(q4Linear);
    return q4;
  };
  const all: Variant[] = [
    { name: 'q8', make: async () => graph(q8Linear) },
    { name: 'q4', make: async () => plainQ4() },
    { name: 'q4-acc4', make: async () => graph(makeQ4Linear({ accuracyLevel: 4 })) },
    {
      name: 'q4-b128-acc4',
      make: async () => graph(makeQ4Linear({ blockSize: 128, accuracyLevel: 4 })),
    },
    { name: 'q4→int8', make: async () => (await rewriteQ4Model(plainQ4())).bytes },
    {
      name: 'q4→fp32',
      make: async () => (await rewriteQ4Model(plainQ4(), { target: 'fp32' })).bytes,
    },
  ];
  const wanted = process.env.BENCH_VARIANTS?.split(',');
  const variants = wanted ? all.filter((v) => wanted.includes(v.name)) : all;
  const startLoad = loadavg()[0] ?? 0;
  const sessions = new Map<string, ort.InferenceSession>();
  const info: Record<string, { fileMiB: number; makeMs: number; sessionMiB: number }> = {};
  for (const v of variants) {
    const t0 = performance.now();
    const bytes = await v.make();
    const makeMs = performance.now() - t0;
    global.gc?.();
    const before = process.memoryUsage().rss;
    sessions.set(
      v.name,
      await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] }),
    );
    global.gc?.();
    info[v.name] = {
      fileMiB: bytes.length / MIB,
      makeMs,
      sessionMiB: (process.memoryUsage().rss - before) / MIB,
    };
    log(
      `${v.name}: ${info[v.name]?.fileMiB.toFixed(0)} MiB graph, made in ${makeMs.toFixed(0)} ms, session +${info[v.name]?.sessionMiB.toFixed(0)} MiB RSS`,
    );
  }
  const times: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (const v of variants) await decodeMs(sessions.get(v.name) as ort.InferenceSession, 2); // warm-up
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      const ms = await decodeMs(sessions.get(v.name) as ort.InferenceSession, TOKENS);
      times[v.name]?.push(ms);
      log(`round ${r + 1} ${v.name}: ${ms.toFixed(1)} ms/token`);
    }
  }
  const endLoad = loadavg()[0] ?? 0;
  const q8 = median(times.q8 ?? []);
  const rows = variants.map((v) => {
    const ms = median(times[v.name] ?? []);
    return { name: v.name, msPerToken: ms, vsQ8: q8 ? q8 / ms : 0, ...info[v.name] };
  });
  console.log('\nvariant          ms/token  tok/s  speed÷q8  graph MiB  session +MiB  made in ms');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(16)} ${r.msPerToken.toFixed(1).padStart(8)} ${(1000 / r.msPerToken).toFixed(1).padStart(6)} ${r.vsQ8.toFixed(2).padStart(9)} ${r.fileMiB?.toFixed(0).padStart(10)} ${r.sessionMiB?.toFixed(0).padStart(12)} ${r.makeMs?.toFixed(0).padStart(11)}`,
    );
  }
  console.log(
    `onnxruntime build ${ORT_BUILD}; threads ${THREADS}; load average (1 min) at start ${startLoad.toFixed(2)}, end ${endLoad.toFixed(2)}; ${RUNS} alternating rounds of ${TOKENS} decode steps`,
  );
  console.log(
    JSON.stringify({
      bench: 'q4-rewrite',
      ortBuild: ORT_BUILD,
      threads: THREADS,
      runs: RUNS,
      tokens: TOKENS,
      loadavg: { start: startLoad, end: endLoad },
      rows,
    }),
  );
  for (const s of sessions.values()) await s.release();
}

/** Median ms per decode step after an 8-token prefill, with the KV cache. */
async function decodeMs(session: ort.InferenceSession, steps: number): Promise<number> {
  const i64 = (v: number[]) =>
    new ort.Tensor('int64', BigInt64Array.from(v, BigInt), [1, v.length]);
  let past: Record<string, ort.Tensor> = {};
  for (let l = 0; l < config.numLayers; l++)
    for (const kind of ['key', 'value'])
      past[`past_key_values.${l}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        config.numKvHeads,
        0,
        config.headDim,
      ]);
  let input = PROMPT;
  let total = 0;
  const stepMs: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const positions = input.map((_, i) => total + i);
    total += input.length;
    const t0 = performance.now();
    const out = await session.run({
      input_ids: i64(input),
      attention_mask: i64(Array(total).fill(1)),
      position_ids: i64(positions),
      ...past,
    });
    if (s > 0) stepMs.push(performance.now() - t0);
    const logits = out.logits?.data as Float32Array;
    let best = 0;
    for (let v = 1; v < config.vocabSize; v++)
      if (
        (logits[logits.length - config.vocabSize + v] as number) >
        (logits[logits.length - config.vocabSize + best] as number)
      )
        best = v;
    past = {};
    for (const [name, t] of Object.entries(out))
      if (name.startsWith('present.')) past[name.replace('present.', 'past_key_values.')] = t;
    input = [best];
  }
  return median(stepMs);
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function log(message: string): void {
  console.log(`[bench:q4] ${message}`);
}

await main();
