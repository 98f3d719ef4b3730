// q4 export: block-wise 4-bit weights in com.microsoft MatMulNBits' layout, checked
// against a dequantized fp32 graph and the original fp32 model on onnxruntime-node and
// onnxruntime-web (wasm), and loaded by transformers.js with dtype 'q4'.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { genLlama } from '../../../tools/gen-llama';
import {
  buildLlamaGraph,
  type LinearFactory,
  type LlamaConfig,
  type LlamaWeights,
} from '../../../tools/llama2c/llamaGraph';
import {
  dequantizeInt4Blockwise,
  q4Linear,
  quantizeInt4Blockwise,
} from '../../../tools/llama2c/quantize';
import { LLAMA_SHAPES, randomLlamaWeights } from '../../../tools/llama2c/randomLlama';
import { mulberry32 } from '../../../tools/mulberry32';
import { encodeModel } from '../../../tools/onnx/onnxModel';

const CONFIG = LLAMA_SHAPES.tiny;
const WEIGHTS = randomLlamaWeights(CONFIG, 3);
const PROMPT = (() => {
  const rand = mulberry32(9);
  return Array.from({ length: 24 }, () => 3 + Math.floor(rand() * (CONFIG.vocabSize - 3)));
})();

type Ort = typeof ortNode | typeof ortWeb;

/** Prefill logits [positions * vocab] for PROMPT, from an empty KV cache. */
async function prefillLogits(ort: Ort, c: LlamaConfig, w: LlamaWeights, linear?: LinearFactory) {
  const session = await ort.InferenceSession.create(encodeModel(buildLlamaGraph(c, w, linear)));
  const i64 = (v: number[]) =>
    new ort.Tensor('int64', BigInt64Array.from(v, BigInt), [1, v.length]);
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = {
    input_ids: i64(PROMPT),
    attention_mask: i64(PROMPT.map(() => 1)),
    position_ids: i64(PROMPT.map((_, i) => i)),
  };
  for (let l = 0; l < c.numLayers; l++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${l}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        c.numKvHeads,
        0,
        c.headDim,
      ]);
    }
  }
  const out = await session.run(feeds as never);
  const logits = Float32Array.from(out.logits?.data as Float32Array);
  await session.release();
  return logits;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function top1PerPosition(logits: Float32Array, vocab: number): number[] {
  return Array.from({ length: logits.length / vocab }, (_, p) => {
    let best = 0;
    for (let v = 1; v < vocab; v++)
      if ((logits[p * vocab + v] as number) > (logits[p * vocab + best] as number)) best = v;
    return best;
  });
}

/** The same weights after a round trip through 4-bit blocks, as plain fp32. */
function dequantizedWeights(w: LlamaWeights, c: LlamaConfig): LlamaWeights {
  const rt = (m: Float32Array, out: number, inF: number) =>
    dequantizeInt4Blockwise(quantizeInt4Blockwise(m, out, inF), out, inF);
  const { hiddenSize: h, intermediateSize: f, headDim: d } = c;
  return {
    ...w,
    layers: w.layers.map((l) => ({
      ...l,
      q: rt(l.q, c.numHeads * d, h),
      k: rt(l.k, c.numKvHeads * d, h),
      v: rt(l.v, c.numKvHeads * d, h),
      o: rt(l.o, h, c.numHeads * d),
      gate: rt(l.gate, f, h),
      up: rt(l.up, f, h),
      down: rt(l.down, h, f),
    })),
  };
}

describe('quantizeInt4Blockwise: MatMulNBits weight layout', () => {
  it.each([
    {
      name: 'the largest magnitude maps to level 0 (-8 × scale) and pairs pack low nibble first',
      row: [-16, 2, 4, 6, ...Array(28).fill(0)],
      scale: 2,
      firstBytes: [0x90, 0xba],
    },
    {
      name: 'a positive extreme gets a negative scale, so it too lands on level 0',
      row: [8, -1, ...Array(30).fill(0)],
      scale: -1,
      firstBytes: [0x90, 0x88],
    },
    {
      name: 'an all-zero block gets scale 1 and level 8 everywhere',
      row: Array(32).fill(0),
      scale: 1,
      firstBytes: [0x88, 0x88],
    },
  ])('$name', ({ row, scale, firstBytes }) => {
    const q = quantizeInt4Blockwise(Float32Array.from(row), 1, 32);
    expect(q.blocksPerCol).toBe(1);
    expect(q.packed.length).toBe(16);
    expect(Array.from(q.scales)).toEqual([scale]);
    expect(Array.from(q.packed.slice(0, 2))).toEqual(firstBytes);
  });

  it('pads a K that is not a multiple of the block with level 8 (zero) and round-trips within one step (half a step, except values clamped at level 15)', () => {
    const [n, k] = [3, 40];
    const rand = mulberry32(4);
    const w = Float32Array.from({ length: n * k }, () => rand() * 2 - 1);
    const q = quantizeInt4Blockwise(w, n, k);
    expect(q.blocksPerCol).toBe(2);
    expect(q.packed.length).toBe(n * 2 * 16);
    expect(q.scales.length).toBe(n * 2);
    // Row 0, block 1 holds 8 real values (4 bytes) and 24 padded zeros (12 bytes of 0x88).
    expect(Array.from(q.packed.slice(16 + 4, 32))).toEqual(Array(12).fill(0x88));
    const back = dequantizeInt4Blockwise(q, n, k);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < k; c++) {
        const signed = q.scales[r * 2 + Math.floor(c / 32)] as number;
        const scale = Math.abs(signed);
        const original = w[r * k + c] as number;
        const clamped = Math.round(original / signed) > 7;
        const error = Math.abs((back[r * k + c] as number) - original);
        expect(error).toBeLessThanOrEqual((clamped ? scale : scale / 2) + 1e-7);
      }
    }
  });

  it('rejects block sizes MatMulNBits does not take', () => {
    expect(() => quantizeInt4Blockwise(new Float32Array(24), 1, 24, 24)).toThrow(/power of 2/);
    expect(() => quantizeInt4Blockwise(new Float32Array(8), 1, 8, 8)).toThrow(/at least 16/);
  });
});

describe('q4 Llama graph (com.microsoft MatMulNBits) on onnxruntime', () => {
  it('onnxruntime-node computes exactly the fp32 graph with the dequantized weights (layout and zero point match the op)', async () => {
    const q4 = await prefillLogits(ortNode, CONFIG, WEIGHTS, q4Linear);
    const reference = await prefillLogits(ortNode, CONFIG, dequantizedWeights(WEIGHTS, CONFIG));
    expect(maxAbsDiff(q4, reference)).toBeLessThan(1e-4);
  });

  it('stays close to the fp32 model: same top-1 token at every prompt position, logits within 0.06', async () => {
    const fp32 = await prefillLogits(ortNode, CONFIG, WEIGHTS);
    const q4 = await prefillLogits(ortNode, CONFIG, WEIGHTS, q4Linear);
    expect(top1PerPosition(q4, CONFIG.vocabSize)).toEqual(top1PerPosition(fp32, CONFIG.vocabSize));
    // Logits have an RMS of about 0.12 here; the measured error is about 0.034.
    expect(maxAbsDiff(q4, fp32)).toBeLessThan(0.06);
    expect(maxAbsDiff(q4, fp32)).toBeGreaterThan(0); // it really is quantized
  });

  it('runs on onnxruntime-web (wasm) with the same logits as onnxruntime-node', async () => {
    ortWeb.env.wasm.numThreads = 1;
    const web = await prefillLogits(ortWeb, CONFIG, WEIGHTS, q4Linear);
    const node = await prefillLogits(ortNode, CONFIG, WEIGHTS, q4Linear);
    expect(maxAbsDiff(web, node)).toBeLessThan(1e-4);
  });
});

describe('gen-llama --dtype q4 in transformers.js', () => {
  const root = mkdtempSync(join(tmpdir(), 'gen-llama-q4-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes onnx/model_q4.onnx that transformers.js loads with dtype q4 and generates N tokens from', async () => {
    const outDir = join(root, 'tiny-q4');
    const { files } = genLlama({ shape: 'tiny', dtype: 'q4', seed: 3, outDir });
    expect(files.map((f) => f.slice(outDir.length + 1))).toContain('onnx/model_q4.onnx');
    const config = JSON.parse(readFileSync(join(outDir, 'config.json'), 'utf8'));
    expect(config['transformers.js_config'].dtype).toBe('q4');

    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = root;
    const model = await AutoModelForCausalLM.from_pretrained('tiny-q4', { dtype: 'q4' });
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-q4');
    const enc = tokenizer('Hello there, tiny model');
    const newTokens = 12;
    const out = (await model.generate({
      ...enc,
      max_new_tokens: newTokens,
      min_new_tokens: newTokens,
      do_sample: false,
    })) as Tensor;
    await model.dispose();
    expect(out.dims).toEqual([1, (enc.input_ids.dims[1] as number) + newTokens]);
  });
});
