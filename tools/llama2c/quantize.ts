// Weight quantization for Llama linears, in the layouts transformers.js ships: "q8"
// (standard-op DynamicQuantizeLinear + MatMulInteger) and "q4" (com.microsoft MatMulNBits).
import { attr } from '../onnx/graphBuilder';
import { DataType } from '../onnx/onnxModel';
import type { LinearFactory } from './llamaGraph';

/** Symmetric per-output-channel int8: returns [in, out] int8 weights and [out] scales. */
export function quantizeInt8PerChannel(
  weight: Float32Array,
  outFeatures: number,
  inFeatures: number,
): { q: Int8Array; scales: Float32Array } {
  const q = new Int8Array(weight.length);
  const scales = new Float32Array(outFeatures);
  for (let o = 0; o < outFeatures; o++) {
    let max = 0;
    const row = o * inFeatures;
    for (let i = 0; i < inFeatures; i++) max = Math.max(max, Math.abs(weight[row + i] as number));
    const scale = max > 0 ? max / 127 : 1;
    scales[o] = scale;
    for (let i = 0; i < inFeatures; i++) {
      const v = Math.round((weight[row + i] as number) / scale);
      q[i * outFeatures + o] = Math.max(-127, Math.min(127, v)); // transposed to [in, out]
    }
  }
  return { q, scales };
}

/** y = (x_q - x_zp) @ W_q * (x_scale * w_scale), activations quantized per call to uint8. */
export const q8Linear: LinearFactory = (g, name, weight, outFeatures, inFeatures) => {
  const { q, scales } = quantizeInt8PerChannel(weight, outFeatures, inFeatures);
  const base = name.replace(/\.weight$/, '');
  const wq = g.initializer(`${base}.weight_quantized`, q, [inFeatures, outFeatures]);
  const ws = g.initializer(`${base}.weight_scale`, scales, [outFeatures]);
  const wzp = g.initializer(`${base}.weight_zero_point`, new Int8Array(outFeatures), [outFeatures]);
  return (x) => {
    const [xq, xs, xzp] = g.node('DynamicQuantizeLinear', [x], {
      name: `${base}.quantize_input`,
      count: 3,
    }) as [string, string, string];
    const acc = g.op('MatMulInteger', [xq, wq, xzp, wzp], undefined, `${base}.matmul_int`);
    const accF = g.op('Cast', [acc], { to: attr.int(DataType.FLOAT) });
    const scale = g.op('Mul', [xs, ws], undefined, `${base}.scale`);
    return g.op('Mul', [accF, scale], undefined, base);
  };
};

/** Block-wise 4-bit weights in MatMulNBits' layout (symmetric, implicit zero point 8). */
export interface Int4Blocks {
  /** [N, blocksPerCol, blockSize / 2] bytes; element 2j in the low nibble, 2j+1 in the high. */
  packed: Uint8Array;
  /** [N * blocksPerCol] scales: w ≈ (q - 8) * scale. */
  scales: Float32Array;
  blocksPerCol: number;
}

/**
 * Quantizes [N, K] weights (PyTorch [out, in]) in blocks of `blockSize` along K, the way
 * llama.cpp's Q4_0 does: the value of largest magnitude maps to -8 exactly, so the
 * whole 16-level range is used. A K that is not a multiple of the block is zero-padded.
 */
export function quantizeInt4Blockwise(
  weight: Float32Array,
  outFeatures: number,
  inFeatures: number,
  blockSize = 32,
): Int4Blocks {
  if (blockSize < 16 || blockSize % 2 !== 0 || (blockSize & (blockSize - 1)) !== 0) {
    throw new RangeError(`block size must be a power of 2 and at least 16, got ${blockSize}`);
  }
  if (weight.length !== outFeatures * inFeatures) {
    throw new Error(`quantizeInt4: ${weight.length} values, want ${outFeatures}x${inFeatures}`);
  }
  const blocksPerCol = Math.ceil(inFeatures / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(outFeatures * blocksPerCol * blob);
  const scales = new Float32Array(outFeatures * blocksPerCol);
  const q = new Uint8Array(blockSize);
  for (let n = 0; n < outFeatures; n++) {
    const row = n * inFeatures;
    for (let b = 0; b < blocksPerCol; b++) {
      const start = b * blockSize;
      const end = Math.min(start + blockSize, inFeatures);
      let extreme = 0;
      for (let k = start; k < end; k++) {
        const v = weight[row + k] as number;
        if (Math.abs(v) > Math.abs(extreme)) extreme = v;
      }
      const scale = extreme !== 0 ? Math.fround(extreme / -8) : 1;
      q.fill(8);
      for (let k = start; k < end; k++) {
        const level = Math.round((weight[row + k] as number) / scale) + 8;
        q[k - start] = Math.max(0, Math.min(15, level));
      }
      const block = n * blocksPerCol + b;
      scales[block] = scale;
      const at = block * blob;
      for (let j = 0; j < blob; j++)
        packed[at + j] = (q[2 * j] as number) | ((q[2 * j + 1] as number) << 4);
    }
  }
  return { packed, scales, blocksPerCol };
}

/** Inverse of `quantizeInt4Blockwise`, back to [N, K] (for tests and error bounds). */
export function dequantizeInt4Blockwise(
  blocks: Int4Blocks,
  outFeatures: number,
  inFeatures: number,
  blockSize = 32,
): Float32Array {
  const out = new Float32Array(outFeatures * inFeatures);
  const blob = blockSize / 2;
  for (let n = 0; n < outFeatures; n++) {
    for (let k = 0; k < inFeatures; k++) {
      const block = n * blocks.blocksPerCol + Math.floor(k / blockSize);
      const inBlock = k % blockSize;
      const byte = blocks.packed[block * blob + (inBlock >> 1)] as number;
      const level = inBlock % 2 === 0 ? byte & 0x0f : byte >> 4;
      out[n * inFeatures + k] = (level - 8) * (blocks.scales[block] as number);
    }
  }
  return out;
}

export interface Q4LinearOptions {
  /** Weights per scale along K (MatMulNBits' block_size). Default 32. */
  blockSize?: number;
  /**
   * MatMulNBits' accuracy_level: 0 leaves the choice to the runtime (fp32 compute),
   * 4 lets CPU kernels quantize activations to int8. Default 0.
   */
  accuracyLevel?: number;
}

/** y = x @ dequant(W), one com.microsoft MatMulNBits node per linear (transformers.js "q4"). */
export function makeQ4Linear({
  blockSize = 32,
  accuracyLevel = 0,
}: Q4LinearOptions = {}): LinearFactory {
  return (g, name, weight, outFeatures, inFeatures) => {
    const { packed, scales, blocksPerCol } = quantizeInt4Blockwise(
      weight,
      outFeatures,
      inFeatures,
      blockSize,
    );
    const base = name.replace(/\.weight$/, '');
    const b = g.initializer(`${base}.weight_Q4`, packed, [
      outFeatures,
      blocksPerCol,
      blockSize / 2,
    ]);
    const s = g.initializer(`${base}.weight_scales`, scales, [outFeatures * blocksPerCol]);
    return (x) => {
      const [out] = g.node('MatMulNBits', [x, b, s], {
        name: base,
        domain: 'com.microsoft',
        attrs: {
          K: attr.int(inFeatures),
          N: attr.int(outFeatures),
          bits: attr.int(4),
          block_size: attr.int(blockSize),
          ...(accuracyLevel ? { accuracy_level: attr.int(accuracyLevel) } : {}),
        },
      });
      return out as string;
    };
  };
}

export const q4Linear: LinearFactory = makeQ4Linear();
