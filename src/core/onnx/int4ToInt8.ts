// Turns MatMulNBits' 4-bit block weights into per-output-channel int8, the layout
// onnxruntime's MatMulInteger (the "q8" graphs) runs fast on WebAssembly.

export interface Int4Weights {
  /** [N, blocksPerCol, blockSize / 2] bytes; element 2j in the low nibble, 2j+1 in the high. */
  packed: Uint8Array;
  /** [N * blocksPerCol] block scales: w = (q - zeroPoint) * scale. */
  scales: Float32Array;
  /** Packed 4-bit zero points, [N, ceil(blocksPerCol / 2)]; absent: 8 for every block. */
  zeroPoints?: Uint8Array;
  N: number;
  K: number;
  blockSize: number;
}

export interface Int8Weights {
  /** [K, N] int8 (transposed, as MatMulInteger's B), symmetric: zero point 0. */
  weight: Int8Array;
  /** [N] per-channel scales: w ≈ weight * scale. */
  scales: Float32Array;
}

/** Bytes the inputs must have; a mismatch means the node is not what its attributes say. */
export function int4Sizes(N: number, K: number, blockSize: number) {
  const blocksPerCol = Math.ceil(K / blockSize);
  return {
    blocksPerCol,
    packed: N * blocksPerCol * (blockSize / 2),
    scales: N * blocksPerCol,
    zeroPoints: N * Math.ceil(blocksPerCol / 2),
  };
}

/** Dequantizes output channel `n` into `row` ([K] float32), as onnxruntime computes it. */
export function dequantizeInt4Row(w: Int4Weights, n: number, row: Float32Array): void {
  const { packed, scales, zeroPoints, K, blockSize } = w;
  const { blocksPerCol } = int4Sizes(w.N, K, blockSize);
  const blob = blockSize / 2;
  const zpStride = Math.ceil(blocksPerCol / 2);
  for (let b = 0; b < blocksPerCol; b++) {
    const block = n * blocksPerCol + b;
    const scale = scales[block] as number;
    let zp = 8;
    if (zeroPoints) {
      const byte = zeroPoints[n * zpStride + (b >> 1)] as number;
      zp = b % 2 === 0 ? byte & 0x0f : byte >> 4;
    }
    const base = b * blockSize;
    const end = Math.min(blockSize, K - base);
    const at = block * blob;
    for (let j = 0; j < end; j++) {
      const byte = packed[at + (j >> 1)] as number;
      const level = j % 2 === 0 ? byte & 0x0f : byte >> 4;
      row[base + j] = (level - zp) * scale; // stored as float32, like the runtime's product
    }
  }
}

/**
 * Dequantizes each output channel's blocks and requantizes the channel to
 * symmetric int8 (scale = max |w| / 127). The error this adds is at most half
 * a step, max |w| / 254 per weight: a 4-bit step is at least 16× coarser.
 */
export function int4ToInt8(w: Int4Weights): Int8Weights {
  const { N, K } = w;
  const weight = new Int8Array(K * N);
  const scales = new Float32Array(N);
  const row = new Float32Array(K);
  for (let n = 0; n < N; n++) {
    dequantizeInt4Row(w, n, row);
    let max = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(row[k] as number));
    const scale = max > 0 ? Math.fround(max / 127) : 1;
    scales[n] = scale;
    for (let k = 0; k < K; k++) {
      const q = Math.round((row[k] as number) / scale);
      weight[k * N + n] = Math.max(-127, Math.min(127, q));
    }
  }
  return { weight, scales };
}

/** The dequantized weights as [K, N] float32 (MatMul's B): exact, 8× the 4-bit bytes. */
export function int4ToFloat(w: Int4Weights): Float32Array {
  const { N, K } = w;
  const out = new Float32Array(K * N);
  const row = new Float32Array(K);
  for (let n = 0; n < N; n++) {
    dequantizeInt4Row(w, n, row);
    for (let k = 0; k < K; k++) out[k * N + n] = row[k] as number;
  }
  return out;
}
