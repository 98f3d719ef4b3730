// Classifier input from RGBA: layout, normalization and int8 quantization,
// checked on the real MobileNet's dog image (its int8 input survives the trip
// to RGB pixels and back within one step).

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageTensor } from '../../../../src/core/tasks/imageTensor';

const spec = {
  size: 1,
  mean: [0.5, 0.5, 0.5] as [number, number, number],
  std: [0.5, 0.25, 0.5] as [number, number, number],
};

describe('imageTensor', () => {
  it.each([
    { layout: 'NCHW' as const, rgba: [255, 0, 51, 255], want: [1, -2, -0.6] },
    { layout: 'NHWC' as const, rgba: [0, 255, 255, 255], want: [-1, 2, 1] },
  ])('$layout float', ({ layout, rgba, want }) => {
    const t = imageTensor(rgba, { ...spec, layout });
    expect(t).toBeInstanceOf(Float32Array);
    for (const [i, v] of Array.from(t).entries()) expect(v).toBeCloseTo(want[i] as number, 6);
  });

  it('quantizes, rounds and clamps to int8', () => {
    const q = { scale: 0.01, zeroPoint: -10 };
    const t = imageTensor([255, 0, 128, 255], { ...spec, layout: 'NCHW', inputQuantization: q });
    expect(t).toBeInstanceOf(Int8Array);
    // 1/0.01-10 = 90; -2/0.01-10 → clamped -128; (128/255-.5)/.5/.01-10 = -9.6 → -10.
    expect(Array.from(t)).toEqual([90, -128, -10]);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => imageTensor([1, 2, 3], { ...spec, layout: 'NCHW' })).toThrow(RangeError);
  });

  const dogPath = resolve(
    import.meta.dirname,
    '../../../../../shared/models/tflite/dog_int8_1x3x224x224.bin',
  );
  it.skipIf(!existsSync(dogPath))(
    'the dog image round-trips through RGB within one int8 step',
    () => {
      const dog = new Int8Array(readFileSync(dogPath).buffer.slice(0));
      const q = { scale: 0.018631115555763245, zeroPoint: -14 };
      const mean: [number, number, number] = [0.485, 0.456, 0.406];
      const std: [number, number, number] = [0.229, 0.224, 0.225];
      const n = 224 * 224;
      const rgba = new Uint8ClampedArray(n * 4);
      for (let p = 0; p < n; p++) {
        for (let c = 0; c < 3; c++) {
          const real = q.scale * ((dog[c * n + p] as number) - q.zeroPoint);
          rgba[p * 4 + c] = Math.round((real * (std[c] as number) + (mean[c] as number)) * 255);
        }
        rgba[p * 4 + 3] = 255;
      }
      const t = imageTensor(rgba, { size: 224, layout: 'NCHW', mean, std, inputQuantization: q });
      let worst = 0;
      for (let i = 0; i < t.length; i++)
        worst = Math.max(worst, Math.abs((t[i] as number) - (dog[i] as number)));
      expect(worst).toBeLessThanOrEqual(1);
    },
  );
});
