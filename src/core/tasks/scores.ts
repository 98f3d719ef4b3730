// Turns a classifier's raw output into ranked scores: dequantize int8/uint8
// outputs, softmax logits into probabilities, keep the k best.

export interface Ranked {
  index: number;
  /** The model's value (dequantized when the output was quantized). */
  value: number;
  /** Softmax probability over all classes, 0..1. */
  probability: number;
}

/** Real values of a quantized tensor: scale * (q - zeroPoint). */
export function dequantize(
  values: ArrayLike<number>,
  quantization?: { scale: number; zeroPoint: number },
): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = values[i] as number;
    out[i] = quantization ? quantization.scale * (q - quantization.zeroPoint) : q;
  }
  return out;
}

/** Softmax, shifted by the maximum so large logits do not overflow. */
export function softmax(values: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    out[i] = Math.exp((values[i] as number) - max);
    sum += out[i] as number;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** The k highest values, best first; ties keep the lower index first. */
export function topK(values: ArrayLike<number>, k: number): Ranked[] {
  const probabilities = softmax(values);
  return Array.from({ length: values.length }, (_, index) => index)
    .sort((a, b) => (values[b] as number) - (values[a] as number) || a - b)
    .slice(0, Math.max(0, k))
    .map((index) => ({
      index,
      value: values[index] as number,
      probability: probabilities[index] as number,
    }));
}
