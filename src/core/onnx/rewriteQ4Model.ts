// Rewrites an ONNX model's 4-bit MatMulNBits nodes into what onnxruntime's wasm
// build runs fast: its MatMulNBits dequantizes the whole weight to fp32 on every
// call. Each node becomes the "q8" pattern (DynamicQuantizeLinear + MatMulInteger
// on per-channel int8) or, as `target: 'fp32'`, a MatMul on the dequantized
// weights. Everything else in the file is copied byte for byte.
import { type Int4Weights, int4Sizes, int4ToFloat, int4ToInt8 } from './int4ToInt8';
import {
  payload,
  payloadString,
  readFields,
  repeatedInts,
  type WireField,
  WireWriter,
} from './protoWire';

/** Reads `length` bytes at `offset` of an external-data file named by the model. */
export type ExternalReader = (ref: {
  location: string;
  offset: number;
  length: number;
}) => Promise<Uint8Array>;

export interface Q4RewriteOptions {
  /** 'int8' (default): per-channel int8 + MatMulInteger; 'fp32': MatMul on fp32 weights. */
  target?: 'int8' | 'fp32';
  /** Needed when the 4-bit weights live in external data. */
  readExternal?: ExternalReader;
}

export interface Q4RewriteResult {
  /** The rewritten model; the input itself when no node was rewritten. */
  bytes: Uint8Array;
  rewritten: number;
  /** MatMulNBits nodes left as they were, and why. */
  skipped: { node: string; reason: string }[];
}

// onnx.proto field numbers.
const MODEL = { graph: 7, opsetImport: 8 } as const;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
const ATTR = { name: 1, i: 3, type: 20 } as const;
const TENSOR = {
  dims: 1,
  dataType: 2,
  floatData: 4,
  int32Data: 5,
  name: 8,
  rawData: 9,
  externalData: 13,
  dataLocation: 14,
} as const;
const DT = { FLOAT: 1, UINT8: 2, INT8: 3 } as const;
const ATTR_INT = 2;
/** DynamicQuantizeLinear's opset. */
const MIN_OPSET = 11;

interface NodeInfo {
  field: WireField;
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  domain: string;
  ints: Map<string, number>;
}

function readNode(buf: Uint8Array, field: WireField): NodeInfo {
  const node: NodeInfo = {
    field,
    inputs: [],
    outputs: [],
    name: '',
    opType: '',
    domain: '',
    ints: new Map(),
  };
  for (const f of readFields(buf, field.value, field.end)) {
    if (f.field === NODE.input) node.inputs.push(payloadString(buf, f));
    else if (f.field === NODE.output) node.outputs.push(payloadString(buf, f));
    else if (f.field === NODE.name) node.name = payloadString(buf, f);
    else if (f.field === NODE.opType) node.opType = payloadString(buf, f);
    else if (f.field === NODE.domain) node.domain = payloadString(buf, f);
    else if (f.field === NODE.attribute) {
      let name = '';
      let i: number | undefined;
      for (const a of readFields(buf, f.value, f.end)) {
        if (a.field === ATTR.name) name = payloadString(buf, a);
        else if (a.field === ATTR.i) i = a.value;
      }
      if (i !== undefined) node.ints.set(name, i);
    }
  }
  return node;
}

interface TensorInfo {
  field: WireField;
  fields: WireField[];
  name: string;
}

function readTensorName(buf: Uint8Array, field: WireField): TensorInfo {
  const fields = readFields(buf, field.value, field.end);
  const nameField = fields.find((f) => f.field === TENSOR.name);
  return { field, fields, name: nameField ? payloadString(buf, nameField) : '' };
}

/** A tensor's element bytes (raw, external or typed fields); null if stored some other way. */
async function tensorBytes(
  buf: Uint8Array,
  t: TensorInfo,
  dataType: number,
  byteLength: number,
  readExternal: ExternalReader | undefined,
): Promise<Uint8Array | string> {
  const type = t.fields.find((f) => f.field === TENSOR.dataType)?.value;
  if (type !== dataType) return `${t.name} has data type ${type}, not ${dataType}`;
  let bytes: Uint8Array | null = null;
  const raw = t.fields.find((f) => f.field === TENSOR.rawData);
  const external = t.fields.find((f) => f.field === TENSOR.dataLocation)?.value === 1;
  if (external) {
    if (!readExternal) return `${t.name} is in external data and no reader was given`;
    const entries = new Map<string, string>();
    for (const f of t.fields.filter((f) => f.field === TENSOR.externalData)) {
      const kv = readFields(buf, f.value, f.end);
      const key = kv.find((e) => e.field === 1);
      const value = kv.find((e) => e.field === 2);
      if (key && value) entries.set(payloadString(buf, key), payloadString(buf, value));
    }
    const location = entries.get('location');
    if (!location) return `${t.name} names no external data location`;
    bytes = await readExternal({
      location,
      offset: Number(entries.get('offset') ?? 0),
      length: Number(entries.get('length') ?? byteLength),
    });
  } else if (raw) {
    bytes = payload(buf, raw);
  } else if (dataType === DT.FLOAT) {
    const floats = t.fields.filter((f) => f.field === TENSOR.floatData);
    if (floats.length === 1 && floats[0]?.wire === 2) bytes = payload(buf, floats[0]);
  } else if (dataType === DT.UINT8) {
    const values = repeatedInts(
      buf,
      t.fields.filter((f) => f.field === TENSOR.int32Data),
    );
    if (values.length > 0) bytes = Uint8Array.from(values);
  }
  if (!bytes) return `${t.name} stores its data in a way this rewrite does not read`;
  if (bytes.length !== byteLength) {
    return `${t.name} holds ${bytes.length} bytes, expected ${byteLength}`;
  }
  return bytes;
}

/** Float32 view of little-endian bytes; copies when unaligned. */
function floats(bytes: Uint8Array): Float32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}

function writeTensor(
  w: WireWriter,
  name: string,
  dataType: number,
  dims: number[],
  data: Uint8Array,
) {
  for (const d of dims) w.int(TENSOR.dims, d);
  w.int(TENSOR.dataType, dataType).string(TENSOR.name, name).bytes(TENSOR.rawData, data);
}

function writeNode(
  w: WireWriter,
  node: { opType: string; inputs: string[]; outputs: string[]; name: string; to?: number },
) {
  for (const i of node.inputs) w.string(NODE.input, i);
  for (const o of node.outputs) w.string(NODE.output, o);
  w.string(NODE.name, node.name).string(NODE.opType, node.opType);
  const to = node.to;
  if (to !== undefined) {
    w.message(NODE.attribute, (a) =>
      a.string(ATTR.name, 'to').int(ATTR.i, to).int(ATTR.type, ATTR_INT),
    );
  }
}

const bytesOf = (a: Int8Array | Float32Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function defaultOpset(buf: Uint8Array, top: WireField[]): number {
  for (const f of top.filter((f) => f.field === MODEL.opsetImport)) {
    let domain = '';
    let version = 0;
    for (const o of readFields(buf, f.value, f.end)) {
      if (o.field === 1) domain = payloadString(buf, o);
      else if (o.field === 2) version = o.value;
    }
    if (domain === '' || domain === 'ai.onnx') return version;
  }
  return 0;
}

/**
 * Rewrites every 4-bit MatMulNBits node of the main graph whose weights are
 * initializers (float scales, optional packed uint8 zero points, no g_idx or
 * bias). Inputs, outputs and every other node keep their names; the 4-bit
 * initializers are dropped when nothing else reads them.
 */
export async function rewriteQ4Model(
  model: Uint8Array,
  { target = 'int8', readExternal }: Q4RewriteOptions = {},
): Promise<Q4RewriteResult> {
  const unchanged = (skipped: Q4RewriteResult['skipped'] = []) => ({
    bytes: model,
    rewritten: 0,
    skipped,
  });
  const top = readFields(model);
  const graph = top.find((f) => f.field === MODEL.graph);
  if (!graph) return unchanged();
  const fields = readFields(model, graph.value, graph.end);
  const nodes = fields.filter((f) => f.field === GRAPH.node).map((f) => readNode(model, f));
  const candidates = nodes.filter(
    (n) => n.opType === 'MatMulNBits' && n.domain === 'com.microsoft',
  );
  if (candidates.length === 0) return unchanged();
  const opset = defaultOpset(model, top);
  if (target === 'int8' && opset < MIN_OPSET) {
    return unchanged(
      candidates.map((n) => ({ node: n.name, reason: `opset ${opset} < ${MIN_OPSET}` })),
    );
  }

  const initializers = new Map<string, TensorInfo>();
  for (const f of fields.filter((f) => f.field === GRAPH.initializer)) {
    const t = readTensorName(model, f);
    initializers.set(t.name, t);
  }
  const uses = new Map<string, number>();
  const taken = new Set<string>(initializers.keys());
  for (const n of nodes) {
    for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
    for (const o of n.outputs) taken.add(o);
  }

  const skipped: Q4RewriteResult['skipped'] = [];
  const replacements = new Map<WireField, WireWriter>();
  const newInitializers = new WireWriter();
  const drop = new Set<string>();
  for (const node of candidates) {
    const label = node.name || node.outputs[0] || '(unnamed)';
    const skip = (reason: string) => skipped.push({ node: label, reason });
    const [a, b, s, zp = '', gIdx = '', bias = ''] = node.inputs;
    const K = node.ints.get('K');
    const N = node.ints.get('N');
    const bits = node.ints.get('bits') ?? 4;
    const blockSize = node.ints.get('block_size');
    const output = node.outputs[0];
    if (bits !== 4) {
      skip(`bits ${bits}`);
      continue;
    }
    if (!a || !b || !s || !output || !K || !N || !blockSize || blockSize < 2 || blockSize % 2) {
      skip('missing inputs or attributes');
      continue;
    }
    if (gIdx || bias) {
      skip('g_idx or bias input');
      continue;
    }
    const bInit = initializers.get(b);
    const sInit = initializers.get(s);
    const zpInit = zp ? initializers.get(zp) : undefined;
    if (!bInit || !sInit || (zp && !zpInit)) {
      skip('weights, scales or zero points are not initializers');
      continue;
    }
    const sizes = int4Sizes(N, K, blockSize);
    const packed = await tensorBytes(model, bInit, DT.UINT8, sizes.packed, readExternal);
    const scales = await tensorBytes(model, sInit, DT.FLOAT, sizes.scales * 4, readExternal);
    const zeroPoints = zpInit
      ? await tensorBytes(model, zpInit, DT.UINT8, sizes.zeroPoints, readExternal)
      : undefined;
    const problem = [packed, scales, zeroPoints].find((x) => typeof x === 'string');
    if (problem !== undefined) {
      skip(problem as string);
      continue;
    }
    const p = `${node.name || output}/q4_rewrite`;
    const names = ['xq', 'xs', 'xzp', 'acc', 'accf', 'scale', 'w', 'ws', 'wzp'].map(
      (n) => `${p}/${n}`,
    );
    if (names.some((n) => taken.has(n))) {
      skip(`names under ${p} are taken`);
      continue;
    }
    const [xq, xs, xzp, acc, accf, scale, wName, wsName, wzpName] = names as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const weights: Int4Weights = {
      packed: packed as Uint8Array,
      scales: floats(scales as Uint8Array),
      ...(zeroPoints ? { zeroPoints: zeroPoints as Uint8Array } : {}),
      N,
      K,
      blockSize,
    };
    const w = new WireWriter();
    if (target === 'fp32') {
      const f32 = int4ToFloat(weights);
      newInitializers.message(GRAPH.initializer, (t) =>
        writeTensor(t, wName, DT.FLOAT, [K, N], bytesOf(f32)),
      );
      w.message(GRAPH.node, (n) =>
        writeNode(n, { opType: 'MatMul', inputs: [a, wName], outputs: [output], name: p }),
      );
    } else {
      const q = int4ToInt8(weights);
      newInitializers
        .message(GRAPH.initializer, (t) =>
          writeTensor(t, wName, DT.INT8, [K, N], bytesOf(q.weight)),
        )
        .message(GRAPH.initializer, (t) => writeTensor(t, wsName, DT.FLOAT, [N], bytesOf(q.scales)))
        .message(GRAPH.initializer, (t) =>
          writeTensor(t, wzpName, DT.INT8, [N], new Uint8Array(N)),
        );
      // The q8 pattern: y = (xq - xzp) @ W * (xs * ws), activations quantized per call.
      const steps = [
        {
          opType: 'DynamicQuantizeLinear',
          inputs: [a],
          outputs: [xq, xs, xzp],
          name: `${p}/quantize`,
        },
        {
          opType: 'MatMulInteger',
          inputs: [xq, wName, xzp, wzpName],
          outputs: [acc],
          name: `${p}/matmul`,
        },
        { opType: 'Cast', inputs: [acc], outputs: [accf], name: `${p}/cast`, to: DT.FLOAT },
        { opType: 'Mul', inputs: [xs, wsName], outputs: [scale], name: `${p}/scale` },
        { opType: 'Mul', inputs: [accf, scale], outputs: [output], name: p },
      ];
      for (const step of steps) w.message(GRAPH.node, (n) => writeNode(n, step));
    }
    replacements.set(node.field, w);
    for (const name of [b, s, zp]) {
      if (!name) continue;
      const left = (uses.get(name) ?? 0) - 1;
      uses.set(name, left);
      if (left === 0) drop.add(name);
    }
  }
  if (replacements.size === 0) return unchanged(skipped);

  const out = new WireWriter();
  for (const f of top) {
    if (f !== graph) {
      out.raw(model.subarray(f.start, f.end));
      continue;
    }
    out.message(MODEL.graph, (g) => {
      for (const gf of fields) {
        const replacement = replacements.get(gf);
        if (replacement) g.append(replacement);
        else if (gf.field === GRAPH.initializer && drop.has(readTensorName(model, gf).name))
          continue;
        else g.raw(model.subarray(gf.start, gf.end));
      }
      g.append(newInitializers);
    });
  }
  return { bytes: out.finish(), rewritten: replacements.size, skipped };
}
