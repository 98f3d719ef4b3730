// Protobuf wire format, just enough to walk an ONNX model field by field and
// splice it: fields we do not touch are copied byte for byte, never re-encoded.
import { AppError } from '../errors';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** One field of a message: where it lies in the buffer, and its value's place. */
export interface WireField {
  field: number;
  wire: number;
  /** Byte range of the whole field, tag included. */
  start: number;
  end: number;
  /** Varint fields: the value; length-delimited ones: where the payload starts. */
  value: number;
}

function malformed(reason: string, at: number): AppError {
  return new AppError('model-load-failed', { reason: `malformed ONNX protobuf: ${reason}`, at });
}

/**
 * Reads a varint at `pos`; returns [value, next position]. Values past 2^53
 * (negative int64s are 10 bytes) come back as their signed 64-bit value, rounded.
 */
export function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= buf.length) throw malformed('truncated varint', pos);
    const byte = buf[pos + i] as number;
    if (i < 7) value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (i < 7) return [value, pos + i + 1];
      // Long varints only come from large or negative int64s: decode exactly.
      let big = 0n;
      for (let j = i; j >= 0; j--) big = (big << 7n) | BigInt((buf[pos + j] as number) & 0x7f);
      return [Number(BigInt.asIntN(64, big)), pos + i + 1];
    }
    scale *= 128;
  }
  throw malformed('varint longer than 10 bytes', pos);
}

/** The fields of the message in buf[start, end), in order. */
export function readFields(buf: Uint8Array, start = 0, end = buf.length): WireField[] {
  const fields: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw malformed('field number 0', pos);
    let value = 0;
    let next: number;
    if (wire === WIRE_VARINT) [value, next] = readVarint(buf, afterTag);
    else if (wire === WIRE_I64) next = afterTag + 8;
    else if (wire === WIRE_I32) next = afterTag + 4;
    else if (wire === WIRE_LEN) {
      const [length, payload] = readVarint(buf, afterTag);
      value = payload;
      next = payload + length;
    } else throw malformed(`unsupported wire type ${wire}`, pos);
    if (next > end) throw malformed(`field ${field} runs past its message`, pos);
    fields.push({ field, wire, start: pos, end: next, value });
    pos = next;
  }
  return fields;
}

/** A length-delimited field's payload, as a view. */
export function payload(buf: Uint8Array, f: WireField): Uint8Array {
  return buf.subarray(f.value, f.end);
}

const utf8 = new TextDecoder();
export function payloadString(buf: Uint8Array, f: WireField): string {
  return utf8.decode(payload(buf, f));
}

/**
 * Varints of a repeated integer field, whether written packed (one
 * length-delimited field) or one by one.
 */
export function repeatedInts(buf: Uint8Array, fields: readonly WireField[]): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.wire === WIRE_VARINT) out.push(f.value);
    else if (f.wire === WIRE_LEN) {
      let pos = f.value;
      while (pos < f.end) {
        const [v, next] = readVarint(buf, pos);
        out.push(v);
        pos = next;
      }
    }
  }
  return out;
}

/** Collects encoded parts and joins them once: big payloads are not copied until then. */
export class WireWriter {
  private parts: Uint8Array[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.size += bytes.length;
    return this;
  }

  varint(value: number): this {
    const bytes: number[] = [];
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    return this.raw(Uint8Array.from(bytes));
  }

  int(field: number, value: number): this {
    return this.varint(field * 8 + WIRE_VARINT).varint(value);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.varint(field * 8 + WIRE_LEN)
      .varint(value.length)
      .raw(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Another writer's parts, appended without copying them. */
  append(other: WireWriter): this {
    for (const part of other.parts) this.raw(part);
    return this;
  }

  /** An embedded message, written by `build` into its own writer. */
  message(field: number, build: (w: WireWriter) => void): this {
    const sub = new WireWriter();
    build(sub);
    return this.varint(field * 8 + WIRE_LEN)
      .varint(sub.length)
      .append(sub);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
