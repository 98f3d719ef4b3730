// Maps a llama2.c checkpoint onto the generic Llama config/weights, permuting q/k rows
// so llama2.c's interleaved RoPE pairs become HF's half-split (rotate_half) layout.
import type { Llama2cCheckpoint } from './checkpoint';
import type { LlamaConfig, LlamaWeights } from './llamaGraph';

/**
 * Per head, moves row 2j to j and row 2j+1 to j + headDim/2: rotating pairs
 * (j, j + headDim/2) of the permuted projection equals rotating (2j, 2j+1) of the original.
 */
export function interleavedToHalfSplit(
  w: Float32Array,
  numHeads: number,
  headDim: number,
  cols: number,
): Float32Array {
  const out = new Float32Array(w.length);
  const half = headDim / 2;
  for (let hd = 0; hd < numHeads; hd++) {
    for (let j = 0; j < half; j++) {
      const base = hd * headDim;
      out.set(w.subarray((base + 2 * j) * cols, (base + 2 * j + 1) * cols), (base + j) * cols);
      out.set(
        w.subarray((base + 2 * j + 1) * cols, (base + 2 * j + 2) * cols),
        (base + half + j) * cols,
      );
    }
  }
  return out;
}

/** llama2.c constants: RoPE theta 10000, RMSNorm eps 1e-5. */
export function llama2cToLlama(ckpt: Llama2cCheckpoint): {
  config: LlamaConfig;
  weights: LlamaWeights;
} {
  const c = ckpt.config;
  const config: LlamaConfig = {
    hiddenSize: c.dim,
    intermediateSize: c.hiddenDim,
    numLayers: c.nLayers,
    numHeads: c.nHeads,
    numKvHeads: c.nKvHeads,
    headDim: c.headSize,
    vocabSize: c.vocabSize,
    maxPositions: c.seqLen,
    ropeTheta: 10000,
    rmsEps: 1e-5,
    tieEmbeddings: c.sharedClassifier,
  };
  const w = ckpt.weights;
  const weights: LlamaWeights = {
    embedTokens: w.tokenEmbedding,
    norm: w.rmsFinal,
    lmHead: c.sharedClassifier ? undefined : w.wcls,
    layers: w.layers.map((l) => ({
      inputNorm: l.rmsAtt,
      q: interleavedToHalfSplit(l.wq, c.nHeads, c.headSize, c.dim),
      k: interleavedToHalfSplit(l.wk, c.nKvHeads, c.headSize, c.dim),
      v: l.wv,
      o: l.wo,
      postNorm: l.rmsFfn,
      gate: l.w1,
      up: l.w3,
      down: l.w2,
    })),
  };
  return { config, weights };
}
