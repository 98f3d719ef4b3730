// Reads a llama2.c legacy checkpoint (7 int32 header + fp32 weights, PyTorch [out, in]
// layout) into a typed config and per-layer Float32Array views.
import { readFileSync } from 'node:fs';

export interface Llama2cConfig {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  /** true when the classifier reuses the token embedding (header vocab_size > 0). */
  sharedClassifier: boolean;
  headSize: number;
}

export interface Llama2cLayer {
  rmsAtt: Float32Array; // [dim]
  wq: Float32Array; // [nHeads*headSize, dim]
  wk: Float32Array; // [nKvHeads*headSize, dim]
  wv: Float32Array; // [nKvHeads*headSize, dim]
  wo: Float32Array; // [dim, nHeads*headSize]
  rmsFfn: Float32Array; // [dim]
  w1: Float32Array; // [hiddenDim, dim]
  w2: Float32Array; // [dim, hiddenDim]
  w3: Float32Array; // [hiddenDim, dim]
}

export interface Llama2cWeights {
  tokenEmbedding: Float32Array; // [vocab, dim]
  layers: Llama2cLayer[];
  rmsFinal: Float32Array; // [dim]
  /** Classifier [vocab, dim]; the token embedding itself when shared. */
  wcls: Float32Array;
}

export interface Llama2cCheckpoint {
  config: Llama2cConfig;
  weights: Llama2cWeights;
}

const HEADER_BYTES = 7 * 4;

/** Parses checkpoint bytes; throws when the size does not match the header. */
export function parseLlama2cCheckpoint(bytes: Uint8Array): Llama2cCheckpoint {
  if (bytes.length < HEADER_BYTES) throw new Error('llama2.c checkpoint: file too short');
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const h = (i: number) => header.getInt32(i * 4, true);
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = [0, 1, 2, 3, 4, 5, 6].map(
    h,
  ) as [number, number, number, number, number, number, number];
  const vocabSize = Math.abs(rawVocab);
  if (dim <= 0 || nHeads <= 0 || nKvHeads <= 0 || dim % nHeads !== 0 || nHeads % nKvHeads !== 0) {
    throw new Error(
      `llama2.c checkpoint: implausible header ${[dim, hiddenDim, nLayers, nHeads, nKvHeads]}`,
    );
  }
  const headSize = dim / nHeads;
  const config: Llama2cConfig = {
    dim,
    hiddenDim,
    nLayers,
    nHeads,
    nKvHeads,
    vocabSize,
    seqLen,
    sharedClassifier: rawVocab > 0,
    headSize,
  };

  // Copy into an aligned buffer so Float32Array views are legal.
  const floats = new Float32Array(new Uint8Array(bytes.subarray(HEADER_BYTES)).buffer);
  let offset = 0;
  const take = (n: number): Float32Array => {
    if (offset + n > floats.length) throw new Error('llama2.c checkpoint: file truncated');
    const view = floats.subarray(offset, offset + n);
    offset += n;
    return view;
  };
  const qDim = nHeads * headSize;
  const kvDim = nKvHeads * headSize;
  const tokenEmbedding = take(vocabSize * dim);
  // Weights are stored grouped by kind, each kind for all layers in turn.
  const perLayer = (n: number) => Array.from({ length: nLayers }, () => take(n));
  const rmsAtt = perLayer(dim);
  const wq = perLayer(dim * qDim);
  const wk = perLayer(dim * kvDim);
  const wv = perLayer(dim * kvDim);
  const wo = perLayer(qDim * dim);
  const rmsFfn = perLayer(dim);
  const w1 = perLayer(dim * hiddenDim);
  const w2 = perLayer(hiddenDim * dim);
  const w3 = perLayer(dim * hiddenDim);
  const rmsFinal = take(dim);
  take(seqLen * (headSize / 2)); // legacy freq_cis_real (unused: RoPE is recomputed)
  take(seqLen * (headSize / 2)); // legacy freq_cis_imag
  const wcls = config.sharedClassifier ? tokenEmbedding : take(vocabSize * dim);
  if (offset !== floats.length) {
    throw new Error(`llama2.c checkpoint: ${floats.length - offset} unexpected trailing floats`);
  }
  const layers = rmsAtt.map((_, l) => {
    const pick = (arr: Float32Array[]) => arr[l] as Float32Array;
    return {
      rmsAtt: pick(rmsAtt),
      wq: pick(wq),
      wk: pick(wk),
      wv: pick(wv),
      wo: pick(wo),
      rmsFfn: pick(rmsFfn),
      w1: pick(w1),
      w2: pick(w2),
      w3: pick(w3),
    };
  });
  return { config, weights: { tokenEmbedding, layers, rmsFinal, wcls } };
}

export function readLlama2cCheckpoint(path: string): Llama2cCheckpoint {
  return parseLlama2cCheckpoint(readFileSync(path));
}
