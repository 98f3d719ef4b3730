// ONNX ModelProto data model (a small subset of onnx.proto) and its protobuf encoder:
// graph, nodes, typed attributes, raw-data or external-data initializers, value_info.
import { ProtoWriter } from './protobuf';

/** onnx.TensorProto.DataType values used by our graphs. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

export type TensorArray =
  | Float32Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Int8Array
  | Uint16Array;

export interface TensorDef {
  name: string;
  dataType: DataTypeId;
  dims: number[];
  /** Element data in little-endian layout; written as raw_data or external data. */
  data: TensorArray;
}

/** A dimension: a fixed size or a symbolic name such as 'batch_size'. */
export type Dim = number | string;

export interface ValueInfoDef {
  name: string;
  elemType: DataTypeId;
  dims: Dim[];
}

export type AttributeDef =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'ints'; value: number[] }
  | { name: string; kind: 'floats'; value: number[] }
  | { name: string; kind: 'tensor'; value: TensorDef };

export interface NodeDef {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  domain?: string;
  attributes: AttributeDef[];
}

export interface GraphDef {
  name: string;
  nodes: NodeDef[];
  initializers: TensorDef[];
  inputs: ValueInfoDef[];
  outputs: ValueInfoDef[];
  valueInfo: ValueInfoDef[];
}

export interface ModelDef {
  irVersion: number;
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: GraphDef;
  metadata?: Record<string, string>;
}

/** Where an initializer's bytes live when stored outside the .onnx file. */
export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}

// AttributeProto.AttributeType
const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

export function tensorBytes(data: TensorArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function writeTensor(w: ProtoWriter, t: TensorDef, external?: ExternalRef): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  if (external) {
    const entries: [string, string][] = [
      ['location', external.location],
      ['offset', String(external.offset)],
      ['length', String(external.length)],
    ];
    for (const [key, value] of entries) w.message(13, (e) => e.string(1, key).string(2, value));
    w.int(14, 1); // data_location = EXTERNAL
  } else {
    w.bytes(9, tensorBytes(t.data));
  }
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoDef): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) {
          shape.message(1, (dim) => {
            if (typeof d === 'number') dim.int(1, d);
            else dim.string(2, d);
          });
        }
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, a: AttributeDef): void {
  w.string(1, a.name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, a.value));
      break;
    case 'floats':
      for (const f of a.value) w.float(7, f);
      break;
    case 'ints':
      for (const i of a.value) w.int(8, i);
      break;
  }
  w.int(20, ATTR_TYPE[a.kind]);
}

function writeNode(w: ProtoWriter, n: NodeDef): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes) w.message(5, (aw) => writeAttribute(aw, a));
  if (n.domain) w.string(7, n.domain);
}

function writeGraph(
  w: ProtoWriter,
  g: GraphDef,
  externals: ReadonlyMap<string, ExternalRef> | undefined,
): void {
  for (const n of g.nodes) w.message(1, (nw) => writeNode(nw, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (tw) => writeTensor(tw, t, externals?.get(t.name)));
  for (const v of g.inputs) w.message(11, (vw) => writeValueInfo(vw, v));
  for (const v of g.outputs) w.message(12, (vw) => writeValueInfo(vw, v));
  for (const v of g.valueInfo) w.message(13, (vw) => writeValueInfo(vw, v));
}

/**
 * Serialises a model to ONNX ModelProto bytes. Initializers named in `externals`
 * are written as external-data references instead of inline raw_data.
 */
export function encodeModel(
  model: ModelDef,
  externals?: ReadonlyMap<string, ExternalRef>,
): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (gw) => writeGraph(gw, model.graph, externals));
  for (const op of model.opsetImports) {
    w.message(8, (ow) => {
      if (op.domain) ow.string(1, op.domain);
      ow.int(2, op.version);
    });
  }
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, (mw) => mw.string(1, key).string(2, value));
  }
  return w.finish().slice();
}
