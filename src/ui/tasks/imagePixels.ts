// Reads a picked image file (or a canvas) as RGBA pixels, the browser decoding
// it: centre-cropped to a square and scaled, or whole for the Hub pipelines.

import type { RgbaImage } from '../../inference/types';

export async function filePixels(file: Blob, size: number): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(file);
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(size, size);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.imageSmoothingQuality = 'high';
    context.drawImage(
      bitmap,
      (bitmap.width - side) / 2,
      (bitmap.height - side) / 2,
      side,
      side,
      0,
      0,
      size,
      size,
    );
    return context.getImageData(0, 0, size, size).data;
  } finally {
    bitmap.close();
  }
}

/**
 * Reads a picked photo whole, as RGBA pixels, scaled down (never up) so that
 * its longer side is at most `maxSide`: the pipelines resize it themselves,
 * and a phone's 12-megapixel photo would be 48 MB to hand to the worker.
 */
export async function fileRgba(file: Blob, maxSide: number): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(file);
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return { width, height, data: context.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}
