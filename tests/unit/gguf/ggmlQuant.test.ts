// ggml block quantizers: fp16 rounding, Q8_0's error bound, and Q4_0 holding the same
// 4-bit levels as the ONNX q4 model's MatMulNBits weights (the fair-comparison claim).
import { describe, expect, it } from 'vitest';
import {
  dequantizeQ4_0,
  dequantizeQ8_0,
  fromFloat16Bits,
  quantizeQ4_0,
  quantizeQ8_0,
  toFloat16Bits,
} from '../../../tools/gguf/ggmlQuant';
import { dequantizeInt4Blockwise, quantizeInt4Blockwise } from '../../../tools/llama2c/quantize';
import { mulberry32 } from '../../../tools/mulberry32';

function seeded(n: number, seed = 1): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (rand() - 0.5) * 0.08);
}

describe('toFloat16Bits', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up past the largest finite half
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -26, 0x0000], // underflows
    [3 * 2 ** -25, 0x0002], // a tie between subnormals rounds to even
    [1 + 2 ** -11, 0x3c00], // a tie rounds to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // a tie rounds to even (up)
    [Number.POSITIVE_INFINITY, 0x7c00],
  ])('%d -> %i', (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });

  it('round-trips every finite half', () => {
    for (let h = 0; h < 0x7c00; h++) {
      expect(toFloat16Bits(fromFloat16Bits(h))).toBe(h);
      expect(toFloat16Bits(-fromFloat16Bits(h))).toBe(h | 0x8000);
    }
  });
});

describe('quantizeQ8_0', () => {
  it('stores 34 bytes per 32 weights, each within half a step of its value', () => {
    const w = seeded(4 * 64);
    const q = quantizeQ8_0(w, 4, 64);
    expect(q.length).toBe((w.length / 32) * 34);
    const back = dequantizeQ8_0(q);
    for (let b = 0; b < w.length / 32; b++) {
      const block = w.subarray(b * 32, b * 32 + 32);
      const step = Math.max(...block.map(Math.abs)) / 127;
      for (let i = 0; i < 32; i++) {
        // Half a step, plus the scale's fp16 rounding (relative 2^-11) times 127 steps.
        const bound = step / 2 + 127 * step * 2 ** -11;
        expect(Math.abs((back[b * 32 + i] as number) - (block[i] as number))).toBeLessThanOrEqual(
          bound,
        );
      }
    }
  });

  it('refuses rows that are not whole blocks', () => {
    expect(() => quantizeQ8_0(new Float32Array(40), 1, 40)).toThrow(/multiple of 32/);
  });
});

describe('quantizeQ4_0', () => {
  it('holds the MatMulNBits levels; only the fp16 scale differs', () => {
    const rows = 6;
    const cols = 96;
    const w = seeded(rows * cols, 7);
    const q = quantizeQ4_0(w, rows, cols);
    expect(q.length).toBe((w.length / 32) * 18);
    const ours = dequantizeQ4_0(q);
    const blocks = quantizeInt4Blockwise(w, rows, cols, 32);
    const onnx = dequantizeInt4Blockwise(blocks, rows, cols, 32);
    for (let i = 0; i < w.length; i++) {
      const scale = Math.abs(blocks.scales[Math.floor(i / 32)] as number);
      // Levels equal: the difference is (level - 8) * (scale - fp16(scale)), |level - 8| <= 8.
      expect(Math.abs((ours[i] as number) - (onnx[i] as number))).toBeLessThanOrEqual(
        8 * scale * 2 ** -11,
      );
    }
  });

  it('puts element j in the low nibble and j + 16 in the high one', () => {
    // One block: the extreme -0.8 maps to level 0 (scale 0.1), the rest to 8 + round(v / 0.1).
    const w = new Float32Array(32);
    w[0] = -0.8;
    w[16] = 0.7; // level 8 + round(0.7 / 0.1) = 15
    w[1] = 0.1; // level 9
    const q = quantizeQ4_0(w, 1, 32);
    expect(q[2]).toBe(0x0 | (0xf << 4));
    expect(q[3]).toBe(0x9 | (0x8 << 4));
    expect(fromFloat16Bits((q[1] as number) * 256 + (q[0] as number))).toBeCloseTo(0.1, 4);
  });
});
