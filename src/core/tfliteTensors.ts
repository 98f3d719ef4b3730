// Reads a .tflite file's input and output tensors (name, type, shape, shape
// signature, quantization) and its custom ops straight from the flatbuffer:
// neither LiteRT.js nor tfjs-tflite exposes the quantization a preprocessor
// needs, nor which outputs are shaped only at run time.

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
  /** The shape with -1 where a dimension is known only at run time (absent: fixed). */
  shapeSignature?: number[];
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
  const signature = scalarVector(bb, tensor, 7, 4);
  if (signature.length > 0) out.shapeSignature = signature;
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

export interface TfliteSummary {
  inputs: TfliteTensor[];
  outputs: TfliteTensor[];
  /** Names of the custom ops the model uses (operator code CUSTOM). */
  customOps: string[];
}

/**
 * The first output whose size the model's ops decide while it runs (a custom
 * op's detections, a dynamic builtin op), or null. A -1 batch dimension that
 * only follows a -1 batch of the inputs does not count: a runtime fixes it
 * from the input it is given.
 */
export function runTimeShapedOutput(summary: TfliteSummary): TfliteTensor | null {
  const batched = summary.inputs.some((t) => (t.shapeSignature?.[0] ?? 0) < 0);
  return (
    summary.outputs.find((t) =>
      (t.shapeSignature ?? t.shape).some((n, i) => n < 0 && (i > 0 || !batched)),
    ) ?? null
  );
}

/** The first subgraph's inputs and outputs; throws on a file that is not a TFLite model. */
export function tfliteTensors(bytes: Uint8Array): TfliteSummary {
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
  const customOps: string[] = [];
  for (const code of tableVector(bb, model, 1)) {
    const customAt = field(bb, code, 1);
    if (customAt) customOps.push(bb.__string(code + customAt) as string);
  }
  return { inputs: pick(1), outputs: pick(2), customOps };
}
