// Tiny helper for building ONNX graphs in code: unique value names, typed attributes,
// constant initializers, and a ModelDef at the end.
import {
  type AttributeDef,
  DataType,
  type DataTypeId,
  type Dim,
  type GraphDef,
  type ModelDef,
  type NodeDef,
  type TensorArray,
  type TensorDef,
  type ValueInfoDef,
} from './onnxModel';

/** Attribute value constructors (ONNX attributes are typed; JS numbers are not). */
export const attr = {
  int: (value: number) => ({ kind: 'int' as const, value }),
  float: (value: number) => ({ kind: 'float' as const, value }),
  string: (value: string) => ({ kind: 'string' as const, value }),
  ints: (value: number[]) => ({ kind: 'ints' as const, value }),
  floats: (value: number[]) => ({ kind: 'floats' as const, value }),
  tensor: (value: TensorDef) => ({ kind: 'tensor' as const, value }),
};
type AttrValue = ReturnType<(typeof attr)[keyof typeof attr]>;

function dataTypeOf(data: TensorArray): DataTypeId {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof BigInt64Array) return DataType.INT64;
  if (data instanceof Int32Array) return DataType.INT32;
  if (data instanceof Int8Array) return DataType.INT8;
  if (data instanceof Uint8Array) return DataType.UINT8;
  return DataType.FLOAT16;
}

export interface ModelOptions {
  opset?: number;
  irVersion?: number;
  producerName?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

/** Accumulates nodes, initializers and graph inputs/outputs. */
export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly initializers: TensorDef[] = [];
  readonly inputs: ValueInfoDef[] = [];
  readonly outputs: ValueInfoDef[] = [];
  readonly valueInfo: ValueInfoDef[] = [];
  private readonly used = new Set<string>();
  private readonly constCache = new Map<string, string>();

  constructor(readonly name = 'main_graph') {}

  /** Returns `base` (or `base_N`) not used yet as a value name. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  input(name: string, elemType: DataTypeId, dims: Dim[]): string {
    this.used.add(name);
    this.inputs.push({ name, elemType, dims });
    return name;
  }

  /** Declares `value` as a graph output named `name` (adds an Identity when renaming). */
  output(value: string, name: string, elemType: DataTypeId, dims: Dim[]): string {
    if (value !== name) this.node('Identity', [value], { name, outputs: [name] });
    this.outputs.push({ name, elemType, dims });
    return name;
  }

  initializer(name: string, data: TensorArray, dims: number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new Error(`initializer ${name}: ${data.length} elements, dims [${dims}] need ${size}`);
    }
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, dataType: dataTypeOf(data), dims, data });
    return unique;
  }

  /** Small constant initializers, deduplicated by value. */
  constInt64(values: number[], dims: number[] = [values.length]): string {
    return this.cached(`i64:${dims}:${values}`, () =>
      this.initializer('const_i64', BigInt64Array.from(values, BigInt), dims),
    );
  }

  constFloat(values: number[], dims: number[] = [values.length]): string {
    return this.cached(`f32:${dims}:${values}`, () =>
      this.initializer('const_f32', Float32Array.from(values), dims),
    );
  }

  private cached(key: string, make: () => string): string {
    let name = this.constCache.get(key);
    if (!name) {
      name = make();
      this.constCache.set(key, name);
    }
    return name;
  }

  /**
   * Adds a node and returns its output names. `name` seeds the node and output names;
   * `outputs` fixes the output names, otherwise `count` fresh names are generated.
   */
  node(
    opType: string,
    inputs: string[],
    opts: {
      name?: string;
      attrs?: Record<string, AttrValue>;
      outputs?: string[];
      count?: number;
      domain?: string;
    } = {},
  ): string[] {
    const base = opts.name ?? opType;
    const nodeName = this.uniqueName(`${base}_node`);
    const outputs =
      opts.outputs ??
      Array.from({ length: opts.count ?? 1 }, (_, i) =>
        this.uniqueName(i === 0 ? base : `${base}_${i}`),
      );
    for (const o of outputs) this.used.add(o);
    const attributes: AttributeDef[] = Object.entries(opts.attrs ?? {}).map(
      ([name, a]) => ({ name, ...a }) as AttributeDef,
    );
    this.nodes.push({ opType, inputs, outputs, name: nodeName, attributes, domain: opts.domain });
    return outputs;
  }

  /** Single-output shorthand for `node`. */
  op(opType: string, inputs: string[], attrs?: Record<string, AttrValue>, name?: string): string {
    const [out] = this.node(opType, inputs, { attrs, name });
    return out as string;
  }

  graph(): GraphDef {
    return {
      name: this.name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      valueInfo: this.valueInfo,
    };
  }

  model(opts: ModelOptions = {}): ModelDef {
    return {
      irVersion: opts.irVersion ?? 8,
      opsetImports: [
        { domain: '', version: opts.opset ?? 17 },
        // Contrib ops (e.g. com.microsoft MatMulNBits) need their domain imported.
        ...[...new Set(this.nodes.map((n) => n.domain).filter((d): d is string => !!d))].map(
          (domain) => ({ domain, version: 1 }),
        ),
      ],
      producerName: opts.producerName ?? 'runanywhere-tools',
      producerVersion: '0.1.0',
      docString: opts.docString,
      graph: this.graph(),
      metadata: opts.metadata,
    };
  }
}
