// The load-time 4-bit rewrite (src/core/onnx/rewriteQ4Model): its numerics against
// dequantize → matmul, the graph it writes (names kept, no MatMulNBits left), and the
// models on onnxruntime-web's wasm backend (the build the browser runs), in Node.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/core/errors';
import { int4ToFloat, int4ToInt8 } from '../../../../src/core/onnx/int4ToInt8';
import { rewriteQ4Model } from '../../../../src/core/onnx/rewriteQ4Model';
import { genLlama } from '../../../../tools/gen-llama';
import { llama2cToLlama } from '../../../../tools/llama2c/fromLlama2c';
import { buildLlamaGraph, type LlamaConfig } from '../../../../tools/llama2c/llamaGraph';
import {
  dequantizeInt4Blockwise,
  q4Linear,
  q8Linear,
  quantizeInt4Blockwise,
} from '../../../../tools/llama2c/quantize';
import { LLAMA_SHAPES, randomLlamaWeights } from '../../../../tools/llama2c/randomLlama';
import { argmax, loadReference } from '../../../../tools/llama2c/reference';
import { mulberry32 } from '../../../../tools/mulberry32';
import { encodeModel } from '../../../../tools/onnx/onnxModel';
import { HAVE_LLAMA2C, llama2cSuite } from '../../llama2c/sharedModels';
import { prefillOn } from './llamaPrefill';

ort.env.wasm.numThreads = 1;
const SEED = 1;

function randomMatrix(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 0.1);
}

function matmul(x: Float32Array, w: Float32Array, M: number, K: number, N: number) {
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++) {
      const xv = x[m * K + k] as number;
      for (let n = 0; n < N; n++)
        y[m * N + n] = (y[m * N + n] as number) + xv * (w[k * N + n] as number);
    }
  return y;
}

describe('int4ToInt8: 4-bit blocks → per-channel int8', () => {
  it.each([
    { N: 48, K: 64, blockSize: 32 },
    { N: 17, K: 172, blockSize: 32 }, // K not a multiple of the block (stories260K's down_proj)
    { N: 8, K: 128, blockSize: 128 },
  ])(
    'N=$N K=$K block $blockSize: each weight within half an int8 step of the 4-bit value',
    ({ N, K, blockSize }) => {
      const blocks = quantizeInt4Blockwise(randomMatrix(N * K, SEED), N, K, blockSize);
      const exact = dequantizeInt4Blockwise(blocks, N, K, blockSize); // [N, K]
      const input = { packed: blocks.packed, scales: blocks.scales, N, K, blockSize };
      const q = int4ToInt8(input);
      const f = int4ToFloat(input); // [K, N]
      for (let n = 0; n < N; n++) {
        let max = 0;
        for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(exact[n * K + k] as number));
        const scale = q.scales[n] as number;
        expect(scale).toBeCloseTo(max / 127, 6);
        for (let k = 0; k < K; k++) {
          const want = exact[n * K + k] as number;
          expect(f[k * N + n]).toBe(want);
          expect(Math.abs((q.weight[k * N + n] as number) * scale - want)).toBeLessThanOrEqual(
            scale / 2 + 1e-7,
          );
        }
      }
    },
  );

  it('packed zero points shift each block (MatMulNBits input 3)', () => {
    // One row, two blocks of 16: levels all 9; zero points 8 and 10 → +1·s and -1·s.
    const packed = new Uint8Array(16).fill(0x99);
    const w = int4ToFloat({
      packed,
      scales: Float32Array.of(0.5, 0.25),
      zeroPoints: Uint8Array.of(0xa8),
      N: 1,
      K: 32,
      blockSize: 16,
    });
    expect([...w.subarray(0, 16)]).toEqual(Array(16).fill(0.5));
    expect([...w.subarray(16)]).toEqual(Array(16).fill(-0.25));
  });

  it('x @ int8 weights stays within 1% (relative to |x|·|w|) of x @ dequantized 4-bit weights', () => {
    const [M, K, N] = [4, 256, 64];
    const blocks = quantizeInt4Blockwise(randomMatrix(N * K, SEED), N, K);
    const input = { packed: blocks.packed, scales: blocks.scales, N, K, blockSize: 32 };
    const q = int4ToInt8(input);
    const deq = Float32Array.from(q.weight, (v, i) => v * (q.scales[i % N] as number));
    const x = randomMatrix(M * K, SEED + 1);
    const want = matmul(x, int4ToFloat(input), M, K, N);
    const got = matmul(x, deq, M, K, N);
    const bound = matmul(x.map(Math.abs), int4ToFloat(input).map(Math.abs), M, K, N);
    for (let i = 0; i < want.length; i++) {
      expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(
        0.01 * (bound[i] as number),
      );
    }
  });
});

/** Prefill logits for `prompt` from an empty cache, on onnxruntime-web wasm. */
async function prefill(model: Uint8Array, c: LlamaConfig, prompt: number[]) {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  const result = await prefillOn(session, c, prompt);
  await session.release();
  return result;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

const opTypes = (bytes: Uint8Array) => {
  const text = new TextDecoder('latin1').decode(bytes);
  return {
    nbits: text.split('MatMulNBits').length - 1,
    integer: text.split('MatMulInteger').length - 1,
  };
};

describe('rewriteQ4Model: the graph', () => {
  const config = LLAMA_SHAPES.tiny;
  const weights = randomLlamaWeights(config, SEED);
  const q4 = encodeModel(buildLlamaGraph(config, weights, q4Linear));
  const prompt = Array.from({ length: 12 }, (_, i) => 3 + ((i * 37) % (config.vocabSize - 3)));
  const linears = config.numLayers * 7; // q, k, v, o, gate, up, down

  it('a model without MatMulNBits comes back as the same bytes', async () => {
    const q8 = encodeModel(buildLlamaGraph(config, weights, q8Linear));
    const result = await rewriteQ4Model(q8);
    expect(result.bytes).toBe(q8);
    expect(result.rewritten).toBe(0);
  });

  it('int8: every MatMulNBits becomes MatMulInteger; inputs, outputs and their order kept', async () => {
    const result = await rewriteQ4Model(q4);
    expect(opTypes(q4).nbits).toBeGreaterThan(0);
    expect(result.skipped).toEqual([]);
    expect(result.rewritten).toBe(opTypes(q4).nbits);
    expect(result.rewritten).toBeGreaterThanOrEqual(linears);
    expect(opTypes(result.bytes)).toEqual({ nbits: 0, integer: result.rewritten });
    const before = await prefill(q4, config, prompt);
    const after = await prefill(result.bytes, config, prompt);
    expect(after.io).toEqual(before.io);
  });

  it('fp32: logits equal the MatMulNBits graph to 1e-4 (same weights, other summation order)', async () => {
    const result = await rewriteQ4Model(q4, { target: 'fp32' });
    expect(opTypes(result.bytes).nbits).toBe(0);
    const before = await prefill(q4, config, prompt);
    const after = await prefill(result.bytes, config, prompt);
    expect(maxAbsDiff(before.logits, after.logits)).toBeLessThan(1e-4);
  });

  it('int8: prefill logits within 0.05 of the MatMulNBits graph on the tiny random model', async () => {
    const before = await prefill(q4, config, prompt);
    const after = await prefill((await rewriteQ4Model(q4)).bytes, config, prompt);
    expect(maxAbsDiff(before.logits, after.logits)).toBeLessThan(0.05);
  });

  it('reads 4-bit weights from external data by range, and leaves the data file as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'q4-rewrite-'));
    try {
      const { files } = genLlama({
        shape: 'tiny',
        dtype: 'q4',
        seed: SEED,
        outDir: dir,
        externalData: true,
      });
      const onnxPath = files.find((f) => f.endsWith('.onnx')) as string;
      const data = new Uint8Array(readFileSync(`${onnxPath}_data`));
      const reads: string[] = [];
      const result = await rewriteQ4Model(new Uint8Array(readFileSync(onnxPath)), {
        readExternal: async ({ location, offset, length }) => {
          reads.push(location);
          return data.slice(offset, offset + length);
        },
      });
      expect(result.rewritten).toBeGreaterThan(0);
      expect(result.skipped).toEqual([]);
      expect(new Set(reads)).toEqual(new Set([`${onnxPath.split('/').pop()}_data`]));
      const inline = await rewriteQ4Model(q4);
      expect(result.rewritten).toBe(inline.rewritten);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('external 4-bit weights without a reader: those nodes are skipped, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'q4-rewrite-'));
    try {
      const { files } = genLlama({
        shape: 'tiny',
        dtype: 'q4',
        seed: SEED,
        outDir: dir,
        externalData: true,
      });
      const onnx = new Uint8Array(readFileSync(files.find((f) => f.endsWith('.onnx')) as string));
      const result = await rewriteQ4Model(onnx);
      // Small tensors stay inline (tools/onnx/saveModel): those nodes are still rewritten.
      expect(result.skipped.length).toBeGreaterThan(0);
      expect(result.skipped.length + result.rewritten).toBe(opTypes(onnx).nbits);
      for (const s of result.skipped) expect(s.reason).toMatch(/external data and no reader/);
      expect(opTypes(result.bytes).nbits).toBe(result.skipped.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('truncated bytes are a typed model-load-failed error', async () => {
    const error = await rewriteQ4Model(q4.subarray(0, 1000)).catch((e: unknown) => e);
    expect(AppError.is(error, 'model-load-failed')).toBe(true);
  });
});

describe.skipIf(!HAVE_LLAMA2C)(llama2cSuite('rewriteQ4Model on stories260K (TinyStories)'), () => {
  const { config, weights } = llama2cToLlama(loadReference().checkpoint);
  const q4 = encodeModel(buildLlamaGraph(config, weights, q4Linear));
  const V = config.vocabSize;
  const STEPS = 100;

  /** Greedy ids from BOS (full recompute each step: 260K parameters, no cache needed). */
  async function greedy(model: Uint8Array, steps: number): Promise<number[]> {
    const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
    const ids = [1];
    for (let s = 0; s < steps; s++) {
      const { logits } = await prefillOn(session, config, ids);
      ids.push(argmax(logits.subarray(logits.length - V)));
    }
    await session.release();
    return ids;
  }

  it('fp32 rewrite: the same 100-token greedy story as the unrewritten q4 graph', async () => {
    const plain = await greedy(q4, STEPS);
    const rewritten = await greedy((await rewriteQ4Model(q4, { target: 'fp32' })).bytes, STEPS);
    expect(rewritten).toEqual(plain);
  });

  it('int8 rewrite: logits within 2.0 of q4 at every position of its greedy story, top-1 ≥ 95%', async () => {
    // Measured: max |Δ| 1.44 (logits span ±21), top-1 99/101. For scale, q4 itself
    // differs from the fp32 model by up to 7.0 on the same positions (top-1 87/101).
    const ids = await greedy(q4, STEPS);
    const plain = (await prefill(q4, config, ids)).logits;
    const rewritten = (await prefill((await rewriteQ4Model(q4)).bytes, config, ids)).logits;
    expect(maxAbsDiff(plain, rewritten)).toBeLessThan(2.0);
    let agree = 0;
    for (let p = 0; p < ids.length; p++) {
      const a = argmax(plain.subarray(p * V, (p + 1) * V));
      if (a === argmax(rewritten.subarray(p * V, (p + 1) * V))) agree++;
    }
    expect(agree / ids.length).toBeGreaterThanOrEqual(0.95);
  });
});
