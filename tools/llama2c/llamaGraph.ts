// Generic Llama (RMSNorm, RoPE, GQA, SwiGLU) ONNX graph builder from standard ops only,
// with the KV-cache inputs/outputs transformers.js expects for LlamaForCausalLM.
import { attr, GraphBuilder } from '../onnx/graphBuilder';
import { DataType, type ModelDef } from '../onnx/onnxModel';
import { type SavedModel, type SaveOptions, saveOnnxModel } from '../onnx/saveModel';

export interface LlamaConfig {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number;
  maxPositions: number;
  ropeTheta: number;
  rmsEps: number;
  tieEmbeddings: boolean;
}

/** Linear weights in PyTorch [out, in] layout; q/k rows in HF (half-split RoPE) order. */
export interface LlamaLayerWeights {
  inputNorm: Float32Array;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  o: Float32Array;
  postNorm: Float32Array;
  gate: Float32Array;
  up: Float32Array;
  down: Float32Array;
}

export interface LlamaWeights {
  embedTokens: Float32Array; // [vocab, hidden]
  layers: LlamaLayerWeights[];
  norm: Float32Array; // [hidden]
  /** [vocab, hidden]; omitted when tieEmbeddings. */
  lmHead?: Float32Array;
}

/** [rows, cols] row-major -> [cols, rows] row-major. */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  if (w.length !== rows * cols) throw new Error(`transpose: ${w.length} != ${rows}x${cols}`);
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = w[base + c] as number;
  }
  return out;
}

/** cos/sin tables [maxPositions, headDim] (halves duplicated), computed in fp32 like run.c. */
export function ropeTables(c: LlamaConfig): { cos: Float32Array; sin: Float32Array } {
  const half = c.headDim / 2;
  const cos = new Float32Array(c.maxPositions * c.headDim);
  const sin = new Float32Array(c.maxPositions * c.headDim);
  for (let j = 0; j < half; j++) {
    const freq = Math.fround(1 / Math.fround(c.ropeTheta ** Math.fround((2 * j) / c.headDim)));
    for (let p = 0; p < c.maxPositions; p++) {
      const val = Math.fround(p * freq);
      const base = p * c.headDim;
      cos[base + j] = cos[base + j + half] = Math.cos(val);
      sin[base + j] = sin[base + j + half] = Math.sin(val);
    }
  }
  return { cos, sin };
}

export function validateLlama(c: LlamaConfig, w: LlamaWeights): void {
  const { hiddenSize: h, intermediateSize: f, headDim: d } = c;
  const expect = (name: string, arr: Float32Array | undefined, n: number) => {
    if (!arr || arr.length !== n)
      throw new Error(`llama weights: ${name} has ${arr?.length} values, want ${n}`);
  };
  if (c.numHeads % c.numKvHeads !== 0 || d % 2 !== 0)
    throw new Error('llama config: bad head layout');
  if (w.layers.length !== c.numLayers) throw new Error('llama weights: wrong layer count');
  expect('embedTokens', w.embedTokens, c.vocabSize * h);
  expect('norm', w.norm, h);
  if (!c.tieEmbeddings) expect('lmHead', w.lmHead, c.vocabSize * h);
  w.layers.forEach((l, i) => {
    expect(`layers.${i}.inputNorm`, l.inputNorm, h);
    expect(`layers.${i}.q`, l.q, c.numHeads * d * h);
    expect(`layers.${i}.k`, l.k, c.numKvHeads * d * h);
    expect(`layers.${i}.v`, l.v, c.numKvHeads * d * h);
    expect(`layers.${i}.o`, l.o, h * c.numHeads * d);
    expect(`layers.${i}.postNorm`, l.postNorm, h);
    expect(`layers.${i}.gate`, l.gate, f * h);
    expect(`layers.${i}.up`, l.up, f * h);
    expect(`layers.${i}.down`, l.down, h * f);
  });
}

/** Maps [out, in] weights to the graph's `x @ W` right-hand operand (fp32 by default). */
export type LinearFactory = (
  g: GraphBuilder,
  name: string,
  weight: Float32Array,
  outFeatures: number,
  inFeatures: number,
) => (x: string) => string;

export const fp32Linear: LinearFactory = (g, name, weight, outFeatures, inFeatures) => {
  const w = g.initializer(name, transpose(weight, outFeatures, inFeatures), [
    inFeatures,
    outFeatures,
  ]);
  return (x) => g.op('MatMul', [x, w], undefined, name.replace(/\.weight$/, ''));
};

const FLOAT_MIN = -3.4028234663852886e38;

/** Builds the decoder-with-past graph (fp32 unless another `linear` factory is given). */
export function buildLlamaGraph(
  c: LlamaConfig,
  w: LlamaWeights,
  linear: LinearFactory = fp32Linear,
): ModelDef {
  validateLlama(c, w);
  const g = new GraphBuilder('llama');
  const { hiddenSize: h, headDim: d, numHeads: nh, numKvHeads: nkv } = c;
  const rep = nh / nkv;
  const I64 = DataType.INT64;
  const F32 = DataType.FLOAT;
  const i64 = (v: number[]) => g.constInt64(v);
  const scalarI64 = (v: number) => g.constInt64([v], []);

  const inputIds = g.input('input_ids', I64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', I64, ['batch_size', 'total_sequence_length']);
  const positions = g.input('position_ids', I64, ['batch_size', 'sequence_length']);
  const kvDims = (seq: string) => ['batch_size', nkv, seq, d];

  const embed = g.initializer('model.embed_tokens.weight', w.embedTokens, [c.vocabSize, h]);
  let x = g.op('Gather', [embed, inputIds], { axis: attr.int(0) }, 'embed');

  // RoPE cos/sin gathered by position: [batch, 1, seq, headDim].
  const tables = ropeTables(c);
  const ropeFactor = (name: string, table: Float32Array) => {
    const t = g.initializer(`rope.${name}_table`, table, [c.maxPositions, d]);
    return g.op(
      'Unsqueeze',
      [g.op('Gather', [t, positions], { axis: attr.int(0) }), i64([1])],
      undefined,
      name,
    );
  };
  const cos = ropeFactor('cos', tables.cos);
  const sin = ropeFactor('sin', tables.sin);

  // Additive attention bias [batch, 1, rep*seq, total]: causal AND attention_mask.
  const dimOf = (v: string, axis: number) =>
    g.op(
      'Squeeze',
      [g.op('Shape', [v], { start: attr.int(axis), end: attr.int(axis + 1) })],
      undefined,
      'dim',
    );
  const seqLen = dimOf(inputIds, 1);
  const totalLen = dimOf(mask, 1);
  const pastLen = g.op('Sub', [totalLen, seqLen], undefined, 'past_len');
  const one = scalarI64(1);
  const queryPos = g.op('Range', [pastLen, totalLen, one], undefined, 'query_pos');
  const keyPos = g.op('Range', [scalarI64(0), totalLen, one], undefined, 'key_pos');
  const causal = g.op('LessOrEqual', [
    g.op('Unsqueeze', [keyPos, i64([0])]),
    g.op('Unsqueeze', [queryPos, i64([1])]),
  ]);
  const padOk = g.op('Unsqueeze', [
    g.op('Cast', [mask], { to: attr.int(DataType.BOOL) }),
    i64([1, 2]),
  ]);
  const allowed = g.op('And', [causal, padOk], undefined, 'allowed');
  let bias = g.op(
    'Where',
    [allowed, g.constFloat([0], []), g.constFloat([FLOAT_MIN], [])],
    undefined,
    'attn_bias',
  );
  if (rep > 1) bias = g.op('Tile', [bias, i64([1, 1, rep, 1])], undefined, 'attn_bias_gqa');

  const rmsNorm = (v: string, weight: Float32Array, name: string) => {
    const ms = g.op('ReduceMean', [g.op('Mul', [v, v])], {
      axes: attr.ints([-1]),
      keepdims: attr.int(1),
    });
    const rms = g.op('Sqrt', [g.op('Add', [ms, g.constFloat([c.rmsEps], [])])]);
    const wt = g.initializer(`${name}.weight`, weight, [h]);
    return g.op('Mul', [g.op('Div', [v, rms]), wt], undefined, name);
  };
  const heads = (v: string, n: number) =>
    g.op('Transpose', [g.op('Reshape', [v, i64([0, 0, n, d])])], { perm: attr.ints([0, 2, 1, 3]) });
  const rope = (v: string) => {
    const x1 = g.op('Slice', [v, i64([0]), i64([d / 2]), i64([3])]);
    const x2 = g.op('Slice', [v, i64([d / 2]), i64([d]), i64([3])]);
    const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: attr.int(3) });
    return g.op('Add', [g.op('Mul', [v, cos]), g.op('Mul', [rotated, sin])], undefined, 'rope');
  };
  const scale = g.constFloat([Math.sqrt(d)], []);

  w.layers.forEach((lw, i) => {
    const p = `model.layers.${i}`;
    const hIn = rmsNorm(x, lw.inputNorm, `${p}.input_layernorm`);
    const q = linear(g, `${p}.self_attn.q_proj.weight`, lw.q, nh * d, h)(hIn);
    const k = linear(g, `${p}.self_attn.k_proj.weight`, lw.k, nkv * d, h)(hIn);
    const v = linear(g, `${p}.self_attn.v_proj.weight`, lw.v, nkv * d, h)(hIn);
    const qr = rope(heads(q, nh));
    const pastKey = g.input(`past_key_values.${i}.key`, F32, kvDims('past_sequence_length'));
    const pastValue = g.input(`past_key_values.${i}.value`, F32, kvDims('past_sequence_length'));
    const keyAll = g.op('Concat', [pastKey, rope(heads(k, nkv))], { axis: attr.int(2) });
    const valueAll = g.op('Concat', [pastValue, heads(v, nkv)], { axis: attr.int(2) });
    g.output(keyAll, `present.${i}.key`, F32, kvDims('total_sequence_length'));
    g.output(valueAll, `present.${i}.value`, F32, kvDims('total_sequence_length'));
    // GQA: fold the query heads sharing a KV head into the row axis: [b, nkv, rep*seq, d].
    const qg = rep > 1 ? g.op('Reshape', [qr, i64([0, nkv, -1, d])]) : qr;
    const kT = g.op('Transpose', [keyAll], { perm: attr.ints([0, 1, 3, 2]) });
    const scores = g.op(
      'Add',
      [g.op('Div', [g.op('MatMul', [qg, kT]), scale]), bias],
      undefined,
      'scores',
    );
    const probs = g.op('Softmax', [scores], { axis: attr.int(-1) }, 'probs');
    let ctx = g.op('MatMul', [probs, valueAll], undefined, 'context');
    if (rep > 1) ctx = g.op('Reshape', [ctx, i64([0, nh, -1, d])]);
    ctx = g.op('Transpose', [ctx], { perm: attr.ints([0, 2, 1, 3]) });
    ctx = g.op('Reshape', [ctx, i64([0, 0, nh * d])]);
    const attnOut = linear(g, `${p}.self_attn.o_proj.weight`, lw.o, h, nh * d)(ctx);
    x = g.op('Add', [x, attnOut], undefined, `${p}.attn_residual`);

    const hPost = rmsNorm(x, lw.postNorm, `${p}.post_attention_layernorm`);
    const gate = linear(g, `${p}.mlp.gate_proj.weight`, lw.gate, c.intermediateSize, h)(hPost);
    const up = linear(g, `${p}.mlp.up_proj.weight`, lw.up, c.intermediateSize, h)(hPost);
    const act = g.op(
      'Mul',
      [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up],
      undefined,
      'swiglu',
    );
    const down = linear(g, `${p}.mlp.down_proj.weight`, lw.down, h, c.intermediateSize)(act);
    x = g.op('Add', [x, down], undefined, `${p}.mlp_residual`);
  });

  const xn = rmsNorm(x, w.norm, 'model.norm');
  // Classifier as Gemm(transB=1) on the [vocab, hidden] matrix, so tied weights are stored once.
  const head = c.tieEmbeddings
    ? embed
    : g.initializer('lm_head.weight', w.lmHead as Float32Array, [c.vocabSize, h]);
  const flat = g.op('Reshape', [xn, i64([-1, h])]);
  const logits2d = g.op('Gemm', [flat, head], { transB: attr.int(1) }, 'lm_head');
  const outShape = g.op('Concat', [g.op('Shape', [inputIds]), i64([c.vocabSize])], {
    axis: attr.int(0),
  });
  const logits = g.op('Reshape', [logits2d, outShape], undefined, 'logits_3d');
  g.output(logits, 'logits', F32, ['batch_size', 'sequence_length', c.vocabSize]);
  return g.model({
    opset: 17,
    irVersion: 8,
    docString: 'Llama decoder with KV cache (standard ONNX ops)',
  });
}

/** Builds and writes `path` (external data automatically above ~100 MB). */
export function exportLlamaOnnx(
  c: LlamaConfig,
  w: LlamaWeights,
  path: string,
  opts: SaveOptions & { linear?: LinearFactory } = {},
): SavedModel {
  return saveOnnxModel(buildLlamaGraph(c, w, opts.linear), path, opts);
}
