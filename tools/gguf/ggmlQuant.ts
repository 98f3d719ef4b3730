// ggml block quantization for GGUF tensors: Q8_0 and Q4_0 (32 weights per block,
// one fp16 scale each), and fp32 -> fp16 rounding. Q4_0 takes its integer levels
// from the same quantizer the ONNX q4 (MatMulNBits) model uses, so both hold the
// same 4-bit numbers; only the scale's storage differs (fp16 here, fp32 there).

import { quantizeInt4Blockwise } from '../llama2c/quantize';

export const QK = 32;
const Q8_BLOCK_BYTES = 2 + QK;
const Q4_BLOCK_BYTES = 2 + QK / 2;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of `value`, rounded to nearest even (subnormals and infinities handled). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow -> ±0
    mant |= 0x800000; // implicit bit, then shift into a subnormal
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** The value of binary16 bits. */
export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

function checkShape(weight: Float32Array, rows: number, cols: number): void {
  if (weight.length !== rows * cols) {
    throw new Error(`ggml quantize: ${weight.length} values, want ${rows}x${cols}`);
  }
  if (cols % QK !== 0)
    throw new Error(`ggml quantize: row length ${cols} is not a multiple of ${QK}`);
}

/**
 * Q8_0 of a row-major [rows, cols] matrix, as llama.cpp's reference quantizer does it:
 * per block d = max|x| / 127 (stored fp16), q = round(x / d).
 */
export function quantizeQ8_0(weight: Float32Array, rows: number, cols: number): Uint8Array {
  checkShape(weight, rows, cols);
  const blocks = (rows * cols) / QK;
  const out = new Uint8Array(blocks * Q8_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let i = 0; i < QK; i++) amax = Math.max(amax, Math.abs(weight[b * QK + i] as number));
    const d = amax / 127;
    const id = d ? 1 / d : 0;
    const at = b * Q8_BLOCK_BYTES;
    view.setUint16(at, toFloat16Bits(d), true);
    for (let i = 0; i < QK; i++) {
      view.setInt8(at + 2 + i, Math.round((weight[b * QK + i] as number) * id));
    }
  }
  return out;
}

/**
 * Q4_0 of a row-major [rows, cols] matrix with the levels and scales of
 * `quantizeInt4Blockwise` (the ONNX q4 model's): byte j of a block holds element j in
 * its low nibble and element j + 16 in its high one (ggml's layout; MatMulNBits
 * pairs neighbours instead), the scale in fp16.
 */
export function quantizeQ4_0(weight: Float32Array, rows: number, cols: number): Uint8Array {
  checkShape(weight, rows, cols);
  const { packed, scales } = quantizeInt4Blockwise(weight, rows, cols, QK);
  const blocks = (rows * cols) / QK;
  const out = new Uint8Array(blocks * Q4_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  const level = (block: number, k: number) => {
    const byte = packed[block * (QK / 2) + (k >> 1)] as number;
    return k % 2 === 0 ? byte & 0x0f : byte >> 4;
  };
  for (let b = 0; b < blocks; b++) {
    const at = b * Q4_BLOCK_BYTES;
    view.setUint16(at, toFloat16Bits(scales[b] as number), true);
    for (let j = 0; j < QK / 2; j++) out[at + 2 + j] = level(b, j) | (level(b, j + QK / 2) << 4);
  }
  return out;
}

/** Inverse of `quantizeQ4_0` (for tests and error bounds). */
export function dequantizeQ4_0(data: Uint8Array): Float32Array {
  const blocks = data.length / Q4_BLOCK_BYTES;
  const out = new Float32Array(blocks * QK);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q4_BLOCK_BYTES;
    const d = fromFloat16Bits(view.getUint16(at, true));
    for (let j = 0; j < QK / 2; j++) {
      const byte = data[at + 2 + j] as number;
      out[b * QK + j] = ((byte & 0x0f) - 8) * d;
      out[b * QK + j + QK / 2] = ((byte >> 4) - 8) * d;
    }
  }
  return out;
}

/** Inverse of `quantizeQ8_0`. */
export function dequantizeQ8_0(data: Uint8Array): Float32Array {
  const blocks = data.length / Q8_BLOCK_BYTES;
  const out = new Float32Array(blocks * QK);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q8_BLOCK_BYTES;
    const d = fromFloat16Bits(view.getUint16(at, true));
    for (let i = 0; i < QK; i++) out[b * QK + i] = view.getInt8(at + 2 + i) * d;
  }
  return out;
}
