// Turns an RGBA image, already resized to the model's square input, into the
// classifier's input tensor: scaled to 0..1, normalized per channel, laid out
// NCHW or NHWC, and quantized to int8 when the model's input is.

import type { ImageSpec } from './taskSpec';

export function imageTensor(
  rgba: ArrayLike<number>,
  spec: Pick<ImageSpec, 'size' | 'layout' | 'mean' | 'std' | 'inputQuantization'>,
): Float32Array | Int8Array {
  const pixels = spec.size * spec.size;
  if (rgba.length !== pixels * 4) {
    throw new RangeError(`expected ${pixels * 4} RGBA values, got ${rgba.length}`);
  }
  const q = spec.inputQuantization;
  const out = q ? new Int8Array(pixels * 3) : new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      const x =
        ((rgba[p * 4 + c] as number) / 255 - (spec.mean[c] as number)) / (spec.std[c] as number);
      const at = spec.layout === 'NCHW' ? c * pixels + p : p * 3 + c;
      // Int8Array stores by truncation: round and clamp first.
      out[at] = q ? Math.min(127, Math.max(-128, Math.round(x / q.scale + q.zeroPoint))) : x;
    }
  }
  return out;
}
