// The Llama ONNX graph on onnxruntime-node vs the TS reference: logits, GQA, padding, KV cache, q8.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Llama2cCheckpoint } from '../../../tools/llama2c/checkpoint';
import { llama2cToLlama } from '../../../tools/llama2c/fromLlama2c';
import { buildLlamaGraph } from '../../../tools/llama2c/llamaGraph';
import { q8Linear } from '../../../tools/llama2c/quantize';
import { Llama2cRunner, loadReference } from '../../../tools/llama2c/reference';
import { mulberry32 } from '../../../tools/mulberry32';
import { encodeModel } from '../../../tools/onnx/onnxModel';
import { HAVE_LLAMA2C, llama2cSuite } from './sharedModels';

type Feeds = Record<string, ort.Tensor>;
const i64 = (rows: number[][]) =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [
    rows.length,
    rows[0]?.length ?? 0,
  ]);

/** Feeds for one call; `past` is the previous call's outputs (or empty caches). */
function feeds(
  numLayers: number,
  kv: [number, number],
  ids: number[][],
  mask: number[][],
  pos: number[][],
  past?: Feeds,
) {
  const f: Feeds = { input_ids: i64(ids), attention_mask: i64(mask), position_ids: i64(pos) };
  for (let l = 0; l < numLayers; l++) {
    for (const kind of ['key', 'value']) {
      f[`past_key_values.${l}.${kind}`] =
        past?.[`present.${l}.${kind}`] ??
        new ort.Tensor('float32', new Float32Array(0), [ids.length, kv[0], 0, kv[1]]);
    }
  }
  return f;
}

/** Reference logits for every position of `ids` (fresh KV cache). */
function referenceLogits(ckpt: Llama2cCheckpoint, ids: number[]): Float32Array[] {
  const runner = new Llama2cRunner(ckpt);
  return ids.map((id, pos) => runner.forward(id, pos).slice());
}

function expectRowClose(logits: Float32Array, offset: number, want: Float32Array, tol: number) {
  let maxErr = 0;
  for (let v = 0; v < want.length; v++)
    maxErr = Math.max(maxErr, Math.abs((logits[offset + v] as number) - (want[v] as number)));
  expect(maxErr).toBeLessThan(tol);
}

/** A llama2.c-layout checkpoint with seeded random weights. */
function randomCheckpoint(nHeads: number, nKvHeads: number, shared: boolean): Llama2cCheckpoint {
  const rand = mulberry32(42);
  const r = (n: number, s = 0.2) => Float32Array.from({ length: n }, () => (rand() - 0.5) * 2 * s);
  const dim = 32;
  const hs = dim / nHeads;
  const hidden = 48;
  const vocab = 40;
  const tokenEmbedding = r(vocab * dim, 1);
  return {
    config: {
      dim,
      hiddenDim: hidden,
      nLayers: 2,
      nHeads,
      nKvHeads,
      vocabSize: vocab,
      seqLen: 64,
      sharedClassifier: shared,
      headSize: hs,
    },
    weights: {
      tokenEmbedding,
      layers: [0, 1].map(() => ({
        rmsAtt: r(dim, 1).map((x) => 1 + x / 2),
        wq: r(dim * dim),
        wk: r(nKvHeads * hs * dim),
        wv: r(nKvHeads * hs * dim),
        wo: r(dim * dim),
        rmsFfn: r(dim, 1).map((x) => 1 + x / 2),
        w1: r(hidden * dim),
        w2: r(dim * hidden),
        w3: r(hidden * dim),
      })),
      rmsFinal: r(dim, 1).map((x) => 1 + x / 2),
      wcls: shared ? tokenEmbedding : r(vocab * dim, 1),
    },
  };
}

async function sessionFor(ckpt: Llama2cCheckpoint, quantized = false) {
  const { config, weights } = llama2cToLlama(ckpt);
  const model = buildLlamaGraph(config, weights, quantized ? q8Linear : undefined);
  return ort.InferenceSession.create(encodeModel(model));
}

describe('Llama ONNX graph vs the TS reference (random llama2.c-layout weights)', () => {
  for (const [nHeads, nKvHeads, shared] of [
    [4, 4, false],
    [8, 2, true],
  ] as const) {
    it(`prefill logits match at every position (${nHeads} heads, ${nKvHeads} KV heads, ${shared ? 'tied' : 'separate'} classifier)`, async () => {
      const ckpt = randomCheckpoint(nHeads, nKvHeads, shared);
      const session = await sessionFor(ckpt);
      const ids = [1, 5, 9, 13, 2, 30, 7, 7, 21];
      const out = await session.run(
        feeds(
          2,
          [nKvHeads, ckpt.config.headSize],
          [ids],
          [ids.map(() => 1)],
          [ids.map((_, i) => i)],
        ),
      );
      const logits = out.logits?.data as Float32Array;
      expect(out.logits?.dims).toEqual([1, ids.length, 40]);
      expect(out['present.1.value']?.dims).toEqual([1, nKvHeads, ids.length, ckpt.config.headSize]);
      for (const [p, want] of referenceLogits(ckpt, ids).entries())
        expectRowClose(logits, p * 40, want, 1e-4);
    });
  }
});

describe.skipIf(!HAVE_LLAMA2C)(
  llama2cSuite('Llama ONNX graph of stories260K: batching and KV cache'),
  () => {
    let session: ort.InferenceSession;
    let ckpt: Llama2cCheckpoint;
    beforeAll(async () => {
      ckpt = loadReference().checkpoint;
      session = await sessionFor(ckpt);
    });

    it('masks left padding and uses per-row positions in a batch, then decodes one step from the cache', async () => {
      const a = [1, 403, 407, 261, 378];
      const b = [1, 317, 439];
      const pad = a.length - b.length;
      const mask = [a.map(() => 1), [...Array(pad).fill(0), ...b.map(() => 1)]];
      const pos = [a.map((_, i) => i), [...Array(pad).fill(1), ...b.map((_, i) => i)]];
      const first = await session.run(
        feeds(5, [4, 8], [a, [...Array(pad).fill(0), ...b]], mask, pos),
      );
      const logits = first.logits?.data as Float32Array;
      const V = 512;
      const refA = referenceLogits(ckpt, [...a, 432]);
      const refB = referenceLogits(ckpt, [...b, 313]);
      for (let p = 0; p < a.length; p++)
        expectRowClose(logits, p * V, refA[p] as Float32Array, 1e-4);
      for (let p = 0; p < b.length; p++) {
        expectRowClose(logits, (a.length + pad + p) * V, refB[p] as Float32Array, 1e-4);
      }

      // One decode step for both rows, reusing present.* as past_key_values.
      const step = await session.run(
        feeds(
          5,
          [4, 8],
          [[432], [313]],
          mask.map((m) => [...m, 1]),
          [[a.length], [b.length]],
          first as Feeds,
        ),
      );
      const stepLogits = step.logits?.data as Float32Array;
      expect(step['present.0.key']?.dims).toEqual([2, 4, a.length + 1, 8]);
      expectRowClose(stepLogits, 0, refA[a.length] as Float32Array, 1e-4);
      expectRowClose(stepLogits, V, refB[b.length] as Float32Array, 1e-4);
    });

    it('q8 (DynamicQuantizeLinear + MatMulInteger) stays close to fp32 and keeps the greedy choice', async () => {
      const q8 = await sessionFor(ckpt, true);
      const ids = [1, 403, 407, 261, 378, 432, 383, 286];
      const out = await q8.run(feeds(5, [4, 8], [ids], [ids.map(() => 1)], [ids.map((_, i) => i)]));
      const logits = out.logits?.data as Float32Array;
      for (const [p, want] of referenceLogits(ckpt, ids).entries()) {
        const row = logits.subarray(p * 512, (p + 1) * 512);
        expect(row.indexOf(Math.max(...row))).toBe(want.indexOf(Math.max(...want)));
        // Within 5% of the logit range (activations are quantized per call to uint8).
        expectRowClose(logits, p * 512, want, 0.05 * (Math.max(...want) - Math.min(...want)));
      }
    });
  },
);
