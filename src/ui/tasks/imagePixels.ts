// Reads a picked image file (or a canvas) as RGBA pixels at a square size, the
// browser decoding it: centre-cropped to a square, then scaled.

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
