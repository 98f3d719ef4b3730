// Turns a small RGBA image (already drawn at the model's size) into MNIST's
// input: greyscale 0..255 with the digit bright on a dark background, as the
// model was trained. Dark ink on light paper (a photo, a scan) is inverted.

/** Luma of each pixel, 0..255 (transparent pixels count as black). */
export function greyscale(rgba: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rgba.length / 4);
  for (let p = 0; p < out.length; p++) {
    const alpha = (rgba[p * 4 + 3] as number) / 255;
    const luma =
      0.299 * (rgba[p * 4] as number) +
      0.587 * (rgba[p * 4 + 1] as number) +
      0.114 * (rgba[p * 4 + 2] as number);
    out[p] = Math.round(luma * alpha);
  }
  return out;
}

/** Whether the image is light with dark ink: its border is mostly bright. */
export function isLightBackground(grey: ArrayLike<number>, size: number): boolean {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < size; i++) {
    for (const at of [i, (size - 1) * size + i, i * size, i * size + size - 1]) {
      sum += grey[at] as number;
      count++;
    }
  }
  return sum / count > 127;
}

/** MNIST's input for a `size`×`size` RGBA image: bright digit, dark ground, 0..255. */
export function digitTensor(rgba: ArrayLike<number>, size: number): Float32Array {
  if (rgba.length !== size * size * 4) {
    throw new RangeError(`expected ${size * size * 4} RGBA values, got ${rgba.length}`);
  }
  const grey = greyscale(rgba);
  if (isLightBackground(grey, size))
    for (let i = 0; i < grey.length; i++) grey[i] = 255 - (grey[i] as number);
  return grey;
}

/**
 * Where to draw a drawing's ink so it looks like an MNIST digit: its bounding
 * box scaled to fit `box` pixels (20 of 28 in MNIST) and centred in `size`.
 * Returns null when nothing is drawn.
 */
export function fitInk(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  size = 28,
  box = 20,
): {
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  dx: number;
  dy: number;
  dw: number;
  dh: number;
} | null {
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] as number) > 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) return null;
  const sw = right - left + 1;
  const sh = bottom - top + 1;
  const scale = box / Math.max(sw, sh);
  const dw = sw * scale;
  const dh = sh * scale;
  return { sx: left, sy: top, sw, sh, dx: (size - dw) / 2, dy: (size - dh) / 2, dw, dh };
}
