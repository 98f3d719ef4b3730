// The protobuf wire reader/writer the 4-bit rewrite splices ONNX models with.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/core/errors';
import {
  readFields,
  readVarint,
  repeatedInts,
  WireWriter,
} from '../../../../src/core/onnx/protoWire';

describe('readVarint', () => {
  it.each([
    { bytes: [0x00], value: 0 },
    { bytes: [0x96, 0x01], value: 150 },
    { bytes: [0xff, 0xff, 0xff, 0xff, 0x0f], value: 2 ** 32 - 1 },
    { bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], value: 2 ** 49 },
    { bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], value: -1 },
  ])('$bytes → $value', ({ bytes, value }) => {
    expect(readVarint(Uint8Array.from(bytes), 0)).toEqual([value, bytes.length]);
  });

  it.each([
    { name: 'truncated', bytes: [0x80] },
    { name: 'longer than 10 bytes', bytes: Array(11).fill(0x80) },
  ])('$name: typed model-load-failed', ({ bytes }) => {
    const error = (() => {
      try {
        readVarint(Uint8Array.from(bytes), 0);
      } catch (e) {
        return e;
      }
    })();
    expect(AppError.is(error, 'model-load-failed')).toBe(true);
  });
});

describe('WireWriter → readFields', () => {
  it('round-trips varint, string, nested message and negative int fields, in order', () => {
    const bytes = new WireWriter()
      .int(1, 300)
      .string(2, 'MatMulNBits')
      .message(3, (m) => m.int(1, 7).int(1, 8))
      .int(4, -2)
      .finish();
    const fields = readFields(bytes);
    expect(fields.map((f) => [f.field, f.wire])).toEqual([
      [1, 0],
      [2, 2],
      [3, 2],
      [4, 0],
    ]);
    expect(fields[0]?.value).toBe(300);
    const [, name, nested, negative] = fields as [
      never,
      (typeof fields)[0],
      (typeof fields)[0],
      (typeof fields)[0],
    ];
    expect(new TextDecoder().decode(bytes.subarray(name.value, name.end))).toBe('MatMulNBits');
    expect(repeatedInts(bytes, readFields(bytes, nested.value, nested.end))).toEqual([7, 8]);
    expect(negative.value).toBe(-2);
  });

  it('reads packed repeated ints (dims written by onnx python)', () => {
    const packed = new WireWriter().varint(3).varint(300).varint(0).finish();
    const bytes = new WireWriter().bytes(1, packed).finish();
    expect(repeatedInts(bytes, readFields(bytes))).toEqual([3, 300, 0]);
  });

  it('a field running past its message is a typed error', () => {
    const bytes = new WireWriter().string(2, 'abc').finish().subarray(0, 4);
    expect(() => readFields(bytes)).toThrow(AppError);
  });
});
