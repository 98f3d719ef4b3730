// Plain-TypeScript fp32 forward pass of llama2.c's run.c plus greedy generation: the
// independent reference that tests use to compute expected continuations.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Llama2cCheckpoint, readLlama2cCheckpoint } from './checkpoint';
import { BOS_ID, EOS_ID, Llama2cTokenizer, readLlama2cTokenizer } from './tokenizer';

/** `../shared/models/llama2c` relative to the project root. */
export const DEFAULT_LLAMA2C_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/models/llama2c',
);
export const DEFAULT_CHECKPOINT = resolve(DEFAULT_LLAMA2C_DIR, 'stories260K.bin');
export const DEFAULT_TOKENIZER = resolve(DEFAULT_LLAMA2C_DIR, 'tok512.bin');

function rmsnorm(out: Float32Array, x: Float32Array, weight: Float32Array): void {
  let ss = 0;
  for (let j = 0; j < x.length; j++) ss += (x[j] as number) * (x[j] as number);
  const scale = 1 / Math.sqrt(ss / x.length + 1e-5);
  for (let j = 0; j < x.length; j++) out[j] = (weight[j] as number) * (scale * (x[j] as number));
}

/** out[i] = sum_j w[i, j] * x[j] for w in PyTorch [out, in] layout. */
function matmul(out: Float32Array, x: Float32Array, w: Float32Array, n: number, d: number): void {
  for (let i = 0; i < d; i++) {
    let val = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) val += (w[row + j] as number) * (x[j] as number);
    out[i] = val;
  }
}

function softmax(x: Float32Array, size: number): void {
  let max = x[0] as number;
  for (let i = 1; i < size; i++) max = Math.max(max, x[i] as number);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    x[i] = Math.exp((x[i] as number) - max);
    sum += x[i] as number;
  }
  for (let i = 0; i < size; i++) x[i] = (x[i] as number) / sum;
}

/** Stateful transformer (KV cache) mirroring run.c's `forward`. */
export class Llama2cRunner {
  private readonly x: Float32Array;
  private readonly xb: Float32Array;
  private readonly xb2: Float32Array;
  private readonly hb: Float32Array;
  private readonly hb2: Float32Array;
  private readonly q: Float32Array;
  private readonly att: Float32Array;
  private readonly logits: Float32Array;
  private readonly keyCache: Float32Array;
  private readonly valueCache: Float32Array;

  constructor(readonly checkpoint: Llama2cCheckpoint) {
    const c = checkpoint.config;
    const kvDim = c.nKvHeads * c.headSize;
    this.x = new Float32Array(c.dim);
    this.xb = new Float32Array(c.dim);
    this.xb2 = new Float32Array(c.dim);
    this.hb = new Float32Array(c.hiddenDim);
    this.hb2 = new Float32Array(c.hiddenDim);
    this.q = new Float32Array(c.dim);
    this.att = new Float32Array(c.seqLen);
    this.logits = new Float32Array(c.vocabSize);
    this.keyCache = new Float32Array(c.nLayers * c.seqLen * kvDim);
    this.valueCache = new Float32Array(c.nLayers * c.seqLen * kvDim);
  }

  /** Logits for `token` at position `pos` (positions must be fed in order from 0). */
  forward(token: number, pos: number): Float32Array {
    const c = this.checkpoint.config;
    const w = this.checkpoint.weights;
    const { x, xb, xb2, hb, hb2, q, att } = this;
    const { dim, headSize: hs, hiddenDim, seqLen } = c;
    const kvDim = c.nKvHeads * hs;
    const kvMul = c.nHeads / c.nKvHeads;
    if (pos >= seqLen) throw new Error(`position ${pos} exceeds context ${seqLen}`);
    x.set(w.tokenEmbedding.subarray(token * dim, (token + 1) * dim));

    w.layers.forEach((layer, l) => {
      rmsnorm(xb, x, layer.rmsAtt);
      const loff = l * seqLen * kvDim;
      const k = this.keyCache.subarray(loff + pos * kvDim, loff + (pos + 1) * kvDim);
      const v = this.valueCache.subarray(loff + pos * kvDim, loff + (pos + 1) * kvDim);
      matmul(q, xb, layer.wq, dim, dim);
      matmul(k, xb, layer.wk, dim, kvDim);
      matmul(v, xb, layer.wv, dim, kvDim);
      // RoPE: rotate interleaved pairs (i, i+1) inside each head.
      for (let i = 0; i < dim; i += 2) {
        const freq = Math.fround(1 / Math.fround(10000 ** Math.fround((i % hs) / hs)));
        const val = Math.fround(pos * freq);
        const fcr = Math.cos(val);
        const fci = Math.sin(val);
        for (const vec of i < kvDim ? [q, k] : [q]) {
          const v0 = vec[i] as number;
          const v1 = vec[i + 1] as number;
          vec[i] = v0 * fcr - v1 * fci;
          vec[i + 1] = v0 * fci + v1 * fcr;
        }
      }
      for (let h = 0; h < c.nHeads; h++) {
        const qoff = h * hs;
        const kvoff = Math.floor(h / kvMul) * hs;
        for (let t = 0; t <= pos; t++) {
          let score = 0;
          const koff = loff + t * kvDim + kvoff;
          for (let i = 0; i < hs; i++)
            score += (q[qoff + i] as number) * (this.keyCache[koff + i] as number);
          att[t] = score / Math.sqrt(hs);
        }
        softmax(att, pos + 1);
        xb.fill(0, qoff, qoff + hs);
        for (let t = 0; t <= pos; t++) {
          const a = att[t] as number;
          const voff = loff + t * kvDim + kvoff;
          for (let i = 0; i < hs; i++)
            xb[qoff + i] = (xb[qoff + i] as number) + a * (this.valueCache[voff + i] as number);
        }
      }
      matmul(xb2, xb, layer.wo, dim, dim);
      for (let i = 0; i < dim; i++) x[i] = (x[i] as number) + (xb2[i] as number);

      rmsnorm(xb, x, layer.rmsFfn);
      matmul(hb, xb, layer.w1, dim, hiddenDim);
      matmul(hb2, xb, layer.w3, dim, hiddenDim);
      for (let i = 0; i < hiddenDim; i++) {
        const g = hb[i] as number;
        hb[i] = g * (1 / (1 + Math.exp(-g))) * (hb2[i] as number);
      }
      matmul(xb, hb, layer.w2, hiddenDim, dim);
      for (let i = 0; i < dim; i++) x[i] = (x[i] as number) + (xb[i] as number);
    });

    rmsnorm(x, x, w.rmsFinal);
    matmul(this.logits, x, w.wcls, dim, c.vocabSize);
    return this.logits;
  }
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/**
 * Greedy decoding after `promptIds` (which should start with BOS). Returns up to `steps`
 * new ids; stops after emitting BOS (run.c's story delimiter) or EOS, which is included.
 */
export function greedyGenerate(
  checkpoint: Llama2cCheckpoint,
  promptIds: readonly number[],
  steps: number,
): number[] {
  if (promptIds.length === 0) throw new Error('greedyGenerate: empty prompt');
  const runner = new Llama2cRunner(checkpoint);
  const out: number[] = [];
  let logits: Float32Array = new Float32Array(0);
  promptIds.forEach((id, pos) => {
    logits = runner.forward(id, pos);
  });
  for (let pos = promptIds.length; out.length < steps; pos++) {
    const next = argmax(logits);
    out.push(next);
    if (next === BOS_ID || next === EOS_ID || out.length === steps) break;
    logits = runner.forward(next, pos);
  }
  return out;
}

export interface ReferencePaths {
  checkpointPath?: string;
  tokenizerPath?: string;
}

const cache = new Map<string, { checkpoint: Llama2cCheckpoint; tokenizer: Llama2cTokenizer }>();

/** Loads (once per path pair) the checkpoint and tokenizer, defaulting to shared/models. */
export function loadReference(paths: ReferencePaths = {}) {
  const cp = paths.checkpointPath ?? DEFAULT_CHECKPOINT;
  const tp = paths.tokenizerPath ?? DEFAULT_TOKENIZER;
  const key = `${cp}\0${tp}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = {
      checkpoint: readLlama2cCheckpoint(cp),
      tokenizer: new Llama2cTokenizer(readLlama2cTokenizer(tp)),
    };
    cache.set(key, entry);
  }
  return entry;
}

/**
 * Encodes `prompt` with BOS like run.c and greedily generates `steps` new tokens.
 * `ids` are the new ids only; `text` is their decoded text (following the prompt).
 */
export function greedyContinuation(
  prompt: string,
  steps: number,
  paths: ReferencePaths = {},
): { promptIds: number[]; ids: number[]; text: string } {
  const { checkpoint, tokenizer } = loadReference(paths);
  const promptIds = tokenizer.encode(prompt, { bos: true });
  const ids = greedyGenerate(checkpoint, promptIds, steps);
  const text = tokenizer.decode(ids, promptIds[promptIds.length - 1]);
  return { promptIds, ids, text };
}

/**
 * Greedy continuation of ids tokenised elsewhere (a chat template's rendering):
 * `text` is the new ids decoded after the last prompt id, as the chat shows them.
 */
export function greedyContinuationOfIds(
  promptIds: readonly number[],
  steps: number,
  paths: ReferencePaths = {},
): { ids: number[]; text: string } {
  const { checkpoint, tokenizer } = loadReference(paths);
  const ids = greedyGenerate(checkpoint, promptIds, steps);
  return { ids, text: tokenizer.decode(ids, promptIds[promptIds.length - 1]) };
}
