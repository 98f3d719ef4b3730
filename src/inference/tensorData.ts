// Plain tensors that cross the worker boundary: a type, dims and a typed
// array, whose buffer is transferred rather than copied.

import { AppError } from '../core/errors';

export type TensorType =
  | 'float32'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'bool';

export type TensorArray =
  | Float32Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array;

export interface TensorData {
  type: TensorType;
  dims: number[];
  data: TensorArray;
}

export type NamedTensors = Record<string, TensorData>;

/** A model input or output as the runtime describes it (dims may be symbolic). */
export interface TensorInfo {
  name: string;
  type?: string;
  dims?: Array<number | string>;
}

/** The typed array each tensor type travels in (float16 as raw 16-bit words). */
const ARRAY_OF: Record<
  TensorType,
  { new (lengthOrBuffer: number | ArrayBuffer): TensorArray; BYTES_PER_ELEMENT: number }
> = {
  float32: Float32Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
};

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** Bytes a tensor's data takes. */
export function tensorByteLength(type: TensorType, dims: readonly number[]): number {
  return elementCount(dims) * ARRAY_OF[type].BYTES_PER_ELEMENT;
}

/** A tensor over raw bytes (exactly `tensorByteLength` of them), owning them. */
export function tensorFromBytes(type: TensorType, dims: number[], bytes: ArrayBuffer): TensorData {
  return { type, dims: [...dims], data: new ARRAY_OF[type](bytes) };
}

/** Throws `inference-failed` when a tensor's array or size does not match its type and dims. */
export function checkTensor(name: string, tensor: TensorData): void {
  const expected = ARRAY_OF[tensor.type];
  if (!expected)
    throw new AppError('inference-failed', { tensor: name, reason: `unknown type ${tensor.type}` });
  if (!(tensor.data instanceof expected)) {
    throw new AppError('inference-failed', {
      tensor: name,
      reason: `${tensor.type} needs a ${expected.name}, got ${tensor.data.constructor.name}`,
    });
  }
  if (!tensor.dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new AppError('inference-failed', { tensor: name, reason: `bad dims [${tensor.dims}]` });
  }
  const count = elementCount(tensor.dims);
  if (count !== tensor.data.length) {
    throw new AppError('inference-failed', {
      tensor: name,
      reason: `dims [${tensor.dims}] hold ${count} elements, data has ${tensor.data.length}`,
    });
  }
}

/** The distinct transferable buffers behind some tensors (shared memory is never transferred). */
export function tensorBuffers(tensors: NamedTensors): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const { data } of Object.values(tensors)) {
    if (data.buffer instanceof ArrayBuffer) buffers.add(data.buffer);
  }
  return [...buffers];
}

/** A tensor whose array owns exactly its bytes, so transferring it moves nothing else. */
export function ownedTensor(type: TensorType, dims: number[], data: TensorArray): TensorData {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  const owned = whole && data.buffer instanceof ArrayBuffer ? data : (data.slice() as TensorArray);
  return { type, dims: [...dims], data: owned };
}
