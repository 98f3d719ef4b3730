// Seeded random Llama weights and a synthetic byte-fallback vocab for benchmark-shaped
// models (e.g. SmolLM2-135M) that need no downloaded weights.

import { mulberry32 } from '../mulberry32';
import type { LlamaConfig, LlamaWeights } from './llamaGraph';
import type { Llama2cVocab } from './tokenizer';

const base = { ropeTheta: 10000, rmsEps: 1e-5, tieEmbeddings: true };

/** Named model shapes for `tools/gen-llama.ts`. */
export const LLAMA_SHAPES = {
  'smollm2-135m': {
    ...base,
    hiddenSize: 576,
    intermediateSize: 1536,
    numLayers: 30,
    numHeads: 9,
    numKvHeads: 3,
    headDim: 64,
    vocabSize: 49152,
    maxPositions: 8192,
    ropeTheta: 100000,
  },
  stories260k: {
    ...base,
    hiddenSize: 64,
    intermediateSize: 172,
    numLayers: 5,
    numHeads: 8,
    numKvHeads: 4,
    headDim: 8,
    vocabSize: 512,
    maxPositions: 512,
  },
  tiny: {
    ...base,
    hiddenSize: 32,
    intermediateSize: 64,
    numLayers: 2,
    numHeads: 4,
    numKvHeads: 2,
    headDim: 8,
    vocabSize: 384,
    maxPositions: 256,
  },
} satisfies Record<string, LlamaConfig>;
export type LlamaShapeName = keyof typeof LLAMA_SHAPES;

function normal(rand: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box-Muller: two independent N(0, 1) samples per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - rand())) * std;
    const theta = 2 * Math.PI * rand();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/** N(0, std^2) linear/embedding weights (HF's default init std 0.02) and unit norms. */
export function randomLlamaWeights(c: LlamaConfig, seed: number, std = 0.02): LlamaWeights {
  const rand = mulberry32(seed);
  const h = c.hiddenSize;
  const f = c.intermediateSize;
  const qd = c.numHeads * c.headDim;
  const kvd = c.numKvHeads * c.headDim;
  const ones = () => new Float32Array(h).fill(1);
  return {
    embedTokens: normal(rand, c.vocabSize * h, std),
    layers: Array.from({ length: c.numLayers }, () => ({
      inputNorm: ones(),
      q: normal(rand, qd * h, std),
      k: normal(rand, kvd * h, std),
      v: normal(rand, kvd * h, std),
      o: normal(rand, h * qd, std),
      postNorm: ones(),
      gate: normal(rand, f * h, std),
      up: normal(rand, f * h, std),
      down: normal(rand, h * f, std),
    })),
    norm: ones(),
    lmHead: c.tieEmbeddings ? undefined : normal(rand, c.vocabSize * h, std),
  };
}

const BASE_CHARS = ` abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'"-:;()`;

/**
 * A llama2.c-style vocab of `size` pieces: <unk>, <s>, </s>, 256 byte pieces, printable
 * ASCII characters, then seeded pairwise merges of existing pieces (scores fall with
 * each merge, like SentencePiece BPE), so every piece is reachable by merging.
 */
export function syntheticVocab(size: number, seed: number): Llama2cVocab {
  const fixed = 3 + 256 + BASE_CHARS.length;
  if (size < fixed) throw new Error(`synthetic vocab needs at least ${fixed} pieces`);
  const rand = mulberry32(seed ^ 0x5eed);
  const pieces = ['<unk>', '\n<s>\n', '\n</s>\n'];
  const scores: number[] = [0, 0, 0];
  for (let b = 0; b < 256; b++) {
    pieces.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    scores.push(0);
  }
  const merged: string[] = [];
  const seen = new Set<string>(BASE_CHARS);
  const mergeCount = size - fixed;
  const chars = Array.from(BASE_CHARS);
  const pick = (list: readonly string[]) => list[Math.floor(rand() * list.length)] as string;
  for (let guard = 0; merged.length < mergeCount; guard++) {
    if (guard > mergeCount * 50) throw new Error('synthetic vocab: could not find enough merges');
    const left = merged.length > 0 && rand() < 0.7 ? pick(merged) : pick(chars);
    const right =
      rand() < 0.8 ? pick(chars.slice(1)) : merged.length > 0 ? pick(merged) : pick(chars);
    const piece = left + right;
    if (piece.length > 12 || seen.has(piece) || piece.slice(1).includes(' ')) continue;
    seen.add(piece);
    merged.push(piece);
  }
  merged.forEach((p, i) => {
    pieces.push(p);
    scores.push(-i);
  });
  chars.forEach((ch, i) => {
    pieces.push(ch);
    scores.push(-mergeCount - i);
  });
  return {
    pieces,
    scores: Float32Array.from(scores),
    maxTokenLength: Math.max(...pieces.map((p) => p.length)),
  };
}
