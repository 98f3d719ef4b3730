// Writes a Llama model (config, weights, llama2.c-style vocab) as a GGUF file for
// llama.cpp: architecture metadata, a SentencePiece ("llama") tokenizer with the same
// pieces and ids as the HF tokenizer.json the ONNX folder carries, linears as Q8_0 or
// Q4_0 and the (tied) embedding, norms in fp32 — the weights the ONNX q8/q4 models hold.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { hfPieces } from '../llama2c/hfTokenizer';
import type { LlamaConfig, LlamaWeights } from '../llama2c/llamaGraph';
import { BOS_ID, byteOfPiece, EOS_ID, type Llama2cVocab, UNK_ID } from '../llama2c/tokenizer';
import { quantizeQ4_0, quantizeQ8_0 } from './ggmlQuant';
import { encodeGguf, GgmlType, type GgufTensor, type GgufValue } from './ggufFile';

export type GgufDtype = 'q8_0' | 'q4_0';

/** llama.cpp `llama_ftype`: MOSTLY_Q4_0 = 2, MOSTLY_Q8_0 = 7. */
const FILE_TYPE: Record<GgufDtype, number> = { q4_0: 2, q8_0: 7 };

/** SentencePiece token types as GGUF stores them. */
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/**
 * HF stores q/k rows for half-split RoPE (rotate_half); llama.cpp's llama architecture
 * rotates adjacent pairs, so (as its converter does) each head's rows are interleaved:
 * new row 2i + t = old row t * headDim/2 + i.
 */
export function permuteForRope(w: Float32Array, heads: number, headDim: number, cols: number) {
  const out = new Float32Array(w.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      for (let t = 0; t < 2; t++) {
        const from = (h * headDim + t * half + i) * cols;
        const to = (h * headDim + 2 * i + t) * cols;
        out.set(w.subarray(from, from + cols), to);
      }
    }
  }
  return out;
}

function tokenTypes(vocab: Llama2cVocab): Int32Array {
  return Int32Array.from(vocab.pieces, (p, id) => {
    if (id === UNK_ID) return TOKEN_TYPE.unknown;
    if (id === BOS_ID || id === EOS_ID) return TOKEN_TYPE.control;
    return byteOfPiece(p) !== undefined ? TOKEN_TYPE.byte : TOKEN_TYPE.normal;
  });
}

/** Metadata and tensors of the GGUF file (in memory; `writeLlamaGguf` streams them out). */
export function llamaGguf(
  c: LlamaConfig,
  weights: LlamaWeights,
  vocab: Llama2cVocab,
  dtype: GgufDtype,
  name = 'llama',
): { metadata: Record<string, GgufValue>; tensors: GgufTensor[] } {
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const f32 = (value: number): GgufValue => ({ type: 'f32', value });
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: name },
    'general.file_type': u32(FILE_TYPE[dtype]),
    'general.alignment': u32(32),
    'llama.context_length': u32(c.maxPositions),
    'llama.embedding_length': u32(c.hiddenSize),
    'llama.block_count': u32(c.numLayers),
    'llama.feed_forward_length': u32(c.intermediateSize),
    'llama.rope.dimension_count': u32(c.headDim),
    'llama.rope.freq_base': f32(c.ropeTheta),
    'llama.attention.head_count': u32(c.numHeads),
    'llama.attention.head_count_kv': u32(c.numKvHeads),
    'llama.attention.key_length': u32(c.headDim),
    'llama.attention.value_length': u32(c.headDim),
    'llama.attention.layer_norm_rms_epsilon': f32(c.rmsEps),
    'llama.vocab_size': u32(c.vocabSize),
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: hfPieces(vocab) },
    'tokenizer.ggml.scores': { type: 'f32[]', value: Float32Array.from(vocab.scores) },
    'tokenizer.ggml.token_type': { type: 'i32[]', value: tokenTypes(vocab) },
    'tokenizer.ggml.bos_token_id': u32(BOS_ID),
    'tokenizer.ggml.eos_token_id': u32(EOS_ID),
    'tokenizer.ggml.unknown_token_id': u32(UNK_ID),
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.ggml.add_eos_token': { type: 'bool', value: false },
  };
  const h = c.hiddenSize;
  const fp32 = (tensorName: string, data: Float32Array, dims: number[]): GgufTensor => ({
    name: tensorName,
    dims,
    type: GgmlType.F32,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
  const quantize = dtype === 'q8_0' ? quantizeQ8_0 : quantizeQ4_0;
  const type = dtype === 'q8_0' ? GgmlType.Q8_0 : GgmlType.Q4_0;
  const linear = (tensorName: string, w: Float32Array, out: number, inp: number): GgufTensor => ({
    name: tensorName,
    dims: [inp, out],
    type,
    data: quantize(w, out, inp),
  });
  const qd = c.numHeads * c.headDim;
  const kvd = c.numKvHeads * c.headDim;
  const f = c.intermediateSize;
  // The embedding (and the tied classifier) stays fp32, as in the ONNX q8/q4 models.
  const tensors: GgufTensor[] = [fp32('token_embd.weight', weights.embedTokens, [h, c.vocabSize])];
  weights.layers.forEach((l, i) => {
    const p = `blk.${i}`;
    tensors.push(
      fp32(`${p}.attn_norm.weight`, l.inputNorm, [h]),
      linear(`${p}.attn_q.weight`, permuteForRope(l.q, c.numHeads, c.headDim, h), qd, h),
      linear(`${p}.attn_k.weight`, permuteForRope(l.k, c.numKvHeads, c.headDim, h), kvd, h),
      linear(`${p}.attn_v.weight`, l.v, kvd, h),
      linear(`${p}.attn_output.weight`, l.o, h, qd),
      fp32(`${p}.ffn_norm.weight`, l.postNorm, [h]),
      linear(`${p}.ffn_gate.weight`, l.gate, f, h),
      linear(`${p}.ffn_up.weight`, l.up, f, h),
      linear(`${p}.ffn_down.weight`, l.down, h, f),
    );
  });
  tensors.push(fp32('output_norm.weight', weights.norm, [h]));
  if (weights.lmHead) tensors.push(fp32('output.weight', weights.lmHead, [h, c.vocabSize]));
  return { metadata, tensors };
}

/** Writes the model to `path`; returns its size in bytes. */
export async function writeLlamaGguf(
  path: string,
  ...args: Parameters<typeof llamaGguf>
): Promise<number> {
  const { metadata, tensors } = llamaGguf(...args);
  const out = createWriteStream(path);
  let bytes = 0;
  for (const chunk of encodeGguf(metadata, tensors)) {
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  return bytes;
}
