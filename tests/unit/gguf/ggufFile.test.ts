// GGUF v3 encoding, read back with a minimal reader: header, metadata, tensor
// descriptors, 32-byte alignment, and the llama writer's names, types and RoPE order.
import { describe, expect, it } from 'vitest';
import { encodeGguf, GgmlType, type GgufValue } from '../../../tools/gguf/ggufFile';
import { llamaGguf, permuteForRope } from '../../../tools/gguf/llamaGguf';
import {
  LLAMA_SHAPES,
  randomLlamaWeights,
  syntheticVocab,
} from '../../../tools/llama2c/randomLlama';

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Just enough of a GGUF reader to check what the writer wrote. */
function readGguf(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const take = (n: number) => {
    at += n;
    return at - n;
  };
  const u32 = () => view.getUint32(take(4), true);
  const u64 = () => Number(view.getBigUint64(take(8), true));
  const str = () => {
    const n = u64();
    const from = take(n);
    return new TextDecoder().decode(bytes.subarray(from, from + n));
  };
  const value = (type: number): unknown => {
    switch (type) {
      case 4:
        return u32();
      case 5:
        return view.getInt32(take(4), true);
      case 6:
        return view.getFloat32(take(4), true);
      case 7:
        return bytes[at++] === 1;
      case 8:
        return str();
      case 9: {
        const inner = u32();
        return Array.from({ length: u64() }, () => value(inner));
      }
      case 10:
        return u64();
      default:
        throw new Error(`type ${type}`);
    }
  };
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const kv: Record<string, unknown> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    kv[key] = value(u32());
  }
  const tensors = Array.from({ length: tensorCount }, () => {
    const name = str();
    const dims = Array.from({ length: u32() }, u64);
    return { name, dims, type: u32(), offset: u64() };
  });
  const dataStart = Math.ceil(at / 32) * 32;
  return { magic, version, kv, tensors, dataStart };
}

describe('encodeGguf', () => {
  it('writes a v3 header, typed metadata and aligned tensor data', () => {
    const metadata: Record<string, GgufValue> = {
      'a.u32': { type: 'u32', value: 7 },
      'a.i32': { type: 'i32', value: -3 },
      'a.f32': { type: 'f32', value: 0.5 },
      'a.bool': { type: 'bool', value: true },
      'a.str': { type: 'string', value: 'héllo' },
      'a.strs': { type: 'string[]', value: ['x', '▁y'] },
      'a.f32s': { type: 'f32[]', value: Float32Array.of(1, -1) },
      'a.i32s': { type: 'i32[]', value: Int32Array.of(6, 1) },
    };
    const first = Uint8Array.from({ length: 40 }, (_, i) => i);
    const second = Uint8Array.of(9, 8, 7);
    const bytes = concat(
      encodeGguf(metadata, [
        { name: 't0', dims: [10], type: GgmlType.F32, data: first },
        { name: 't1', dims: [3, 1], type: GgmlType.Q8_0, data: second },
      ]),
    );
    const file = readGguf(bytes);
    expect(file.magic).toBe('GGUF');
    expect(file.version).toBe(3);
    expect(file.kv).toEqual({
      'a.u32': 7,
      'a.i32': -3,
      'a.f32': 0.5,
      'a.bool': true,
      'a.str': 'héllo',
      'a.strs': ['x', '▁y'],
      'a.f32s': [1, -1],
      'a.i32s': [6, 1],
    });
    expect(file.tensors).toEqual([
      { name: 't0', dims: [10], type: GgmlType.F32, offset: 0 },
      { name: 't1', dims: [3, 1], type: GgmlType.Q8_0, offset: 64 },
    ]);
    expect(bytes.subarray(file.dataStart, file.dataStart + 40)).toEqual(first);
    expect(bytes.subarray(file.dataStart + 64, file.dataStart + 67)).toEqual(second);
    expect(bytes.length % 32).toBe(0);
  });
});

describe('permuteForRope', () => {
  it('interleaves each head half-split rows into adjacent pairs', () => {
    // 2 heads of dim 4, 1 column: rows [h0: a0 a1 b0 b1, h1: c0 c1 d0 d1] -> [a0 b0 a1 b1, c0 d0 c1 d1].
    const w = Float32Array.of(10, 11, 20, 21, 30, 31, 40, 41);
    expect([...permuteForRope(w, 2, 4, 1)]).toEqual([10, 20, 11, 21, 30, 40, 31, 41]);
  });
});

describe('llamaGguf', () => {
  it('names tensors as llama.cpp expects, with ggml dims and the tokenizer of the HF folder', () => {
    const c = LLAMA_SHAPES.tiny;
    const { metadata, tensors } = llamaGguf(
      c,
      randomLlamaWeights(c, 1),
      syntheticVocab(c.vocabSize, 1),
      'q4_0',
    );
    expect(tensors.map((t) => t.name).slice(0, 10)).toEqual([
      'token_embd.weight',
      'blk.0.attn_norm.weight',
      'blk.0.attn_q.weight',
      'blk.0.attn_k.weight',
      'blk.0.attn_v.weight',
      'blk.0.attn_output.weight',
      'blk.0.ffn_norm.weight',
      'blk.0.ffn_gate.weight',
      'blk.0.ffn_up.weight',
      'blk.0.ffn_down.weight',
    ]);
    expect(tensors.at(-1)?.name).toBe('output_norm.weight'); // tied: no output.weight
    const gate = tensors.find((t) => t.name === 'blk.0.ffn_gate.weight');
    expect(gate?.dims).toEqual([c.hiddenSize, c.intermediateSize]);
    expect(gate?.type).toBe(GgmlType.Q4_0);
    expect(gate?.data.length).toBe((c.hiddenSize * c.intermediateSize * 18) / 32);
    const tokens = metadata['tokenizer.ggml.tokens'];
    expect(tokens?.type === 'string[]' && tokens.value.slice(0, 4)).toEqual([
      '<unk>',
      '<s>',
      '</s>',
      '<0x00>',
    ]);
    const types = metadata['tokenizer.ggml.token_type'];
    expect(types?.type === 'i32[]' && [...types.value.slice(0, 4)]).toEqual([2, 3, 3, 6]);
    expect(metadata['general.file_type']).toEqual({ type: 'u32', value: 2 });
  });
});
