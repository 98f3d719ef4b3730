// Reads a .tflite file's input and output tensors (name, type, shape and
// quantization) straight from its flatbuffer: neither LiteRT.js nor
// tfjs-tflite exposes the quantization a preprocessor needs.

import { ByteBuffer } from 'flatbuffers';

/** TensorType in tensorflow/lite/schema/schema.fbs, by value. */
const TYPES = [
  'float32',
  'float16',
  'int32',
  'uint8',
  'int64',
  'string',
  'bool',
  'int16',
  'complex64',
  'int8',
  'float64',
] as const;

export interface TfliteTensor {
  name: string;
  type: string;
  shape: number[];
  /** Real value = scale * (q - zeroPoint); absent for tensors that are not quantized. */
  quantization?: { scale: number; zeroPoint: number };
}

/** A table's field `index` (the vtable slot of the index-th field), or 0 when absent. */
function field(bb: ByteBuffer, table: number, index: number): number {
  return bb.__offset(table, 4 + 2 * index);
}

function tableVector(bb: ByteBuffer, table: number, index: number): number[] {
  const at = field(bb, table, index);
  if (!at) return [];
  const start = bb.__vector(table + at);
  return Array.from({ length: bb.__vector_len(table + at) }, (_, i) =>
    bb.__indirect(start + 4 * i),
  );
}

function scalarVector(bb: ByteBuffer, table: number, index: number, size: 4 | 8): number[] {
  const at = field(bb, table, index);
  if (!at) return [];
  const start = bb.__vector(table + at);
  return Array.from({ length: bb.__vector_len(table + at) }, (_, i) =>
    size === 4 ? bb.readInt32(start + 4 * i) : Number(bb.readInt64(start + 8 * i)),
  );
}

function readTensor(bb: ByteBuffer, tensor: number): TfliteTensor {
  const typeAt = field(bb, tensor, 1);
  const nameAt = field(bb, tensor, 3);
  const out: TfliteTensor = {
    name: nameAt ? (bb.__string(tensor + nameAt) as string) : '',
    type: TYPES[typeAt ? bb.readInt8(tensor + typeAt) : 0] ?? 'unknown',
    shape: scalarVector(bb, tensor, 0, 4),
  };
  const quantAt = field(bb, tensor, 4);
  if (quantAt) {
    const quant = bb.__indirect(tensor + quantAt);
    const scaleAt = field(bb, quant, 2);
    const zeros = scalarVector(bb, quant, 3, 8);
    if (scaleAt && bb.__vector_len(quant + scaleAt) > 0) {
      const scale = bb.readFloat32(bb.__vector(quant + scaleAt));
      out.quantization = { scale, zeroPoint: zeros[0] ?? 0 };
    }
  }
  return out;
}

/** The first subgraph's inputs and outputs; throws on a file that is not a TFLite model. */
export function tfliteTensors(bytes: Uint8Array): {
  inputs: TfliteTensor[];
  outputs: TfliteTensor[];
} {
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(4, 8)) !== 'TFL3') {
    throw new Error('not a TFLite model (no TFL3 identifier)');
  }
  const bb = new ByteBuffer(bytes);
  const model = bb.readInt32(0);
  const [subgraph] = tableVector(bb, model, 2);
  if (subgraph === undefined) throw new Error('the model has no subgraph');
  const tensors = tableVector(bb, subgraph, 0);
  const pick = (index: number) =>
    scalarVector(bb, subgraph, index, 4).map((i) => {
      const tensor = tensors[i];
      if (tensor === undefined) throw new Error(`tensor index ${i} out of range`);
      return readTensor(bb, tensor);
    });
  return { inputs: pick(1), outputs: pick(2) };
}
