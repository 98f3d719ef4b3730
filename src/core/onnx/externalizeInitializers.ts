// Moves an ONNX model's large initializers into one external-data file: the
// graph keeps every tensor's name, type and dims, and points (location, offset,
// length, data_location = EXTERNAL) into the file; the caller writes the data
// tensor by tensor from the returned layout, so the file is never built in memory.
import { payload, payloadString, readFields, type WireField, WireWriter } from './protoWire';

export interface ExternalizeOptions {
  /** The data file's name as the graph refers to it (relative to the graph's folder). */
  location: string;
  /** Initializers with fewer bytes stay inline (default 1024: scalars, shapes). */
  minBytes?: number;
  /** Every tensor starts at a multiple of this (default 64, a cache line; a power of two). */
  align?: number;
}

/** Where one tensor's bytes come from: a view of the model, or a range of another external file. */
export type TensorSource =
  | { kind: 'inline'; bytes: Uint8Array }
  | { kind: 'external'; location: string; offset: number; length: number };

/** One tensor placed in the data file. */
export interface PlacedTensor {
  name: string;
  offset: number;
  length: number;
  source: TensorSource;
}

export interface ExternalizedModel {
  /** The model with its large initializers pointing into the data file. */
  graph: Uint8Array;
  /** In file order; the gaps between them (alignment padding) are zeros. */
  tensors: PlacedTensor[];
  /** The data file's size: the end of the last tensor. */
  dataBytes: number;
}

// onnx.proto field numbers.
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR = { name: 8, rawData: 9, externalData: 13, dataLocation: 14 } as const;
const ENTRY = { key: 1, value: 2 } as const;
const EXTERNAL = 1;

function externalRef(buf: Uint8Array, fields: WireField[]): Map<string, string> {
  const entries = new Map<string, string>();
  for (const f of fields.filter((f) => f.field === TENSOR.externalData)) {
    const kv = readFields(buf, f.value, f.end);
    const key = kv.find((e) => e.field === ENTRY.key);
    const value = kv.find((e) => e.field === ENTRY.value);
    if (key && value) entries.set(payloadString(buf, key), payloadString(buf, value));
  }
  return entries;
}

/** Where a main-graph initializer's bytes are, or null when it is stored some other way. */
function sourceOf(buf: Uint8Array, fields: WireField[]): TensorSource | null {
  if (fields.find((f) => f.field === TENSOR.dataLocation)?.value === EXTERNAL) {
    const ref = externalRef(buf, fields);
    const location = ref.get('location');
    const length = Number(ref.get('length'));
    if (!location || !Number.isSafeInteger(length)) return null; // length unknown: left as it is
    return { kind: 'external', location, offset: Number(ref.get('offset') ?? 0), length };
  }
  const raw = fields.find((f) => f.field === TENSOR.rawData);
  return raw ? { kind: 'inline', bytes: payload(buf, raw) } : null;
}

const sourceLength = (s: TensorSource) => (s.kind === 'inline' ? s.bytes.length : s.length);

/**
 * The model with every main-graph initializer of at least `minBytes` (raw_data,
 * or already external with a known length) moved to `location`, and the layout
 * of that file. Typed-field initializers (float_data…) and small ones stay inline;
 * every other field of the model is copied byte for byte.
 */
export function externalizeInitializers(
  model: Uint8Array,
  { location, minBytes = 1024, align = 64 }: ExternalizeOptions,
): ExternalizedModel {
  if (!(align > 0 && (align & (align - 1)) === 0)) throw new RangeError(`align ${align}`);
  const tensors: PlacedTensor[] = [];
  let end = 0;
  const top = readFields(model);
  const out = new WireWriter();
  for (const f of top) {
    if (f.field !== MODEL_GRAPH) {
      out.raw(model.subarray(f.start, f.end));
      continue;
    }
    out.message(MODEL_GRAPH, (g) => {
      for (const gf of readFields(model, f.value, f.end)) {
        const fields = gf.field === GRAPH_INITIALIZER ? readFields(model, gf.value, gf.end) : [];
        const source = gf.field === GRAPH_INITIALIZER ? sourceOf(model, fields) : null;
        if (!source || sourceLength(source) < minBytes) {
          g.raw(model.subarray(gf.start, gf.end));
          continue;
        }
        const nameField = fields.find((t) => t.field === TENSOR.name);
        const offset = Math.ceil(end / align) * align;
        const length = sourceLength(source);
        tensors.push({
          name: nameField ? payloadString(model, nameField) : '',
          offset,
          length,
          source,
        });
        end = offset + length;
        g.message(GRAPH_INITIALIZER, (t) => {
          for (const tf of fields) {
            const moved =
              tf.field === TENSOR.rawData ||
              tf.field === TENSOR.externalData ||
              tf.field === TENSOR.dataLocation;
            if (!moved) t.raw(model.subarray(tf.start, tf.end));
          }
          const entry = (key: string, value: string) =>
            t.message(TENSOR.externalData, (e) =>
              e.string(ENTRY.key, key).string(ENTRY.value, value),
            );
          entry('location', location);
          entry('offset', String(offset));
          entry('length', String(length));
          t.int(TENSOR.dataLocation, EXTERNAL);
        });
      }
    });
  }
  return { graph: out.finish(), tensors, dataBytes: end };
}
