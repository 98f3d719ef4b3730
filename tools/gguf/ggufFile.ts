// GGUF v3 file writer (llama.cpp's model format): header, typed key/value metadata,
// tensor descriptors and 32-byte-aligned tensor data, written as one Buffer list.

/** GGUF metadata value types (gguf.h `gguf_type`). */
export const GgufType = {
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
} as const;

/** ggml tensor types used here (ggml.h `ggml_type`). */
export const GgmlType = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;
export type GgmlTypeId = (typeof GgmlType)[keyof typeof GgmlType];

export type GgufValue =
  | { type: 'u32' | 'i32' | 'f32' | 'u64'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'f32[]'; value: Float32Array }
  | { type: 'i32[]'; value: Int32Array };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the innermost (contiguous) one, e.g. [in, out] for a linear. */
  dims: readonly number[];
  type: GgmlTypeId;
  /** The encoded bytes (blocks for quantized types). */
  data: Uint8Array;
}

export const GGUF_ALIGNMENT = 32;
const MAGIC = 0x46554747; // "GGUF" little-endian

/** Appends little-endian primitives to a growing list of chunks. */
class Writer {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  private scalar(size: number, set: (v: DataView) => void): void {
    const b = new Uint8Array(size);
    set(new DataView(b.buffer));
    this.push(b);
  }
  u32(v: number): void {
    this.scalar(4, (d) => d.setUint32(0, v, true));
  }
  i32(v: number): void {
    this.scalar(4, (d) => d.setInt32(0, v, true));
  }
  f32(v: number): void {
    this.scalar(4, (d) => d.setFloat32(0, v, true));
  }
  u64(v: number): void {
    this.scalar(8, (d) => d.setBigUint64(0, BigInt(v), true));
  }
  string(s: string): void {
    const bytes = new TextEncoder().encode(s);
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest) this.push(new Uint8Array(alignment - rest));
  }
}

function writeValue(w: Writer, v: GgufValue): void {
  switch (v.type) {
    case 'u32':
      w.u32(GgufType.UINT32);
      w.u32(v.value);
      return;
    case 'i32':
      w.u32(GgufType.INT32);
      w.i32(v.value);
      return;
    case 'f32':
      w.u32(GgufType.FLOAT32);
      w.f32(v.value);
      return;
    case 'u64':
      w.u32(GgufType.UINT64);
      w.u64(v.value);
      return;
    case 'bool':
      w.u32(GgufType.BOOL);
      w.push(Uint8Array.of(v.value ? 1 : 0));
      return;
    case 'string':
      w.u32(GgufType.STRING);
      w.string(v.value);
      return;
    case 'string[]':
      w.u32(GgufType.ARRAY);
      w.u32(GgufType.STRING);
      w.u64(v.value.length);
      for (const s of v.value) w.string(s);
      return;
    case 'f32[]':
    case 'i32[]': {
      w.u32(GgufType.ARRAY);
      w.u32(v.type === 'f32[]' ? GgufType.FLOAT32 : GgufType.INT32);
      w.u64(v.value.length);
      // Copy: the array may be a view with any alignment; GGUF wants little-endian (as JS on every target).
      w.push(new Uint8Array(v.value.slice().buffer));
      return;
    }
  }
}

/** Serialises a GGUF v3 file: returns its chunks (write them in order). */
export function encodeGguf(
  metadata: Readonly<Record<string, GgufValue>>,
  tensors: readonly GgufTensor[],
): Uint8Array[] {
  const w = new Writer();
  w.u32(MAGIC);
  w.u32(3);
  w.u64(tensors.length);
  const entries = Object.entries(metadata);
  w.u64(entries.length);
  for (const [key, value] of entries) {
    w.string(key);
    writeValue(w, value);
  }
  let offset = 0;
  for (const t of tensors) {
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(offset);
    offset += Math.ceil(t.data.length / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  w.pad(GGUF_ALIGNMENT);
  for (const t of tensors) {
    w.push(t.data);
    w.pad(GGUF_ALIGNMENT);
  }
  return w.chunks;
}
