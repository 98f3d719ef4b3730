// Our ONNX protobuf writer: wire format, and graphs that onnxruntime-node loads and runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { attr, GraphBuilder } from '../../../tools/onnx/graphBuilder';
import { DataType, encodeModel } from '../../../tools/onnx/onnxModel';
import { ProtoWriter } from '../../../tools/onnx/protobuf';
import { saveOnnxModel } from '../../../tools/onnx/saveModel';

const W = Float32Array.from({ length: 12 }, (_, i) => (i - 5) / 4); // [3, 4]
const B = Float32Array.from([0.5, -0.25, 0, 1]);
const C = Float32Array.from([10, 20, 30, 40]);
const X = Float32Array.from([1, 2, 3, -1, 0, 4]); // [2, 3]

/** out = mean_batch(LeakyRelu(X @ W + B)) + C; padded = reflect-pad X; shape = Shape(X). */
function smallGraph() {
  const g = new GraphBuilder('small');
  const x = g.input('X', DataType.FLOAT, ['batch', 3]);
  const h = g.op('Add', [
    g.op('MatMul', [x, g.initializer('W', W, [3, 4])]),
    g.initializer('B', B, [4]),
  ]);
  const act = g.op('LeakyRelu', [h], { alpha: attr.float(0.1) });
  const t = g.op('Transpose', [act], { perm: attr.ints([1, 0]) });
  const mean = g.op('ReduceMean', [t], { axes: attr.ints([-1]), keepdims: attr.int(0) });
  const c = g.node('Constant', [], {
    attrs: { value: attr.tensor({ name: 'c', dataType: DataType.FLOAT, dims: [4], data: C }) },
  });
  g.output(g.op('Add', [mean, c[0] as string]), 'out', DataType.FLOAT, [4]);
  const padded = g.op('Pad', [x, g.constInt64([0, 1, 0, 1])], { mode: attr.string('reflect') });
  g.output(padded, 'padded', DataType.FLOAT, ['batch', 5]);
  g.output(g.op('Shape', [x]), 'shape', DataType.INT64, [2]);
  return g.model({ opset: 17, metadata: { purpose: 'test' } });
}

function expected() {
  const out = Array.from(C);
  for (let j = 0; j < 4; j++) {
    for (let b = 0; b < 2; b++) {
      let v = B[j] as number;
      for (let i = 0; i < 3; i++) v += (X[b * 3 + i] as number) * (W[i * 4 + j] as number);
      out[j] = (out[j] as number) + (v > 0 ? v : 0.1 * v) / 2;
    }
  }
  return out;
}

async function run(model: string | Uint8Array) {
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model)
      : await ort.InferenceSession.create(model);
  const result = await session.run({ X: new ort.Tensor('float32', X, [2, 3]) });
  return { session, result };
}

describe('ONNX protobuf writer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('encodes varints, negative int64 (10 bytes), floats and nested messages per the wire format', () => {
    const w = new ProtoWriter();
    w.int(1, 300)
      .int(2, -1)
      .float(3, 1.5)
      .message(4, (m) => m.string(1, 'hi'));
    expect(Array.from(w.finish())).toEqual([
      0x08, 0xac, 0x02, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x1d,
      0x00, 0x00, 0xc0, 0x3f, 0x22, 0x04, 0x0a, 0x02, 0x68, 0x69,
    ]);
  });

  it('writes a graph that onnxruntime-node loads and runs with the right numbers and symbolic dims', async () => {
    const { session, result } = await run(encodeModel(smallGraph()));
    expect(session.inputNames).toEqual(['X']);
    expect(session.outputNames).toEqual(['out', 'padded', 'shape']);
    expect((session.inputMetadata[0] as { shape: unknown }).shape).toEqual(['batch', 3]);
    const out = Array.from(result.out?.data as Float32Array);
    for (const [i, v] of expected().entries()) expect(out[i]).toBeCloseTo(v, 5);
    expect(Array.from(result.padded?.data as Float32Array)).toEqual([
      2, 1, 2, 3, 2, 0, -1, 0, 4, 0,
    ]);
    expect(Array.from(result.shape?.data as BigInt64Array)).toEqual([2n, 3n]);
  });

  it('moves initializers into <model>.onnx_data and onnxruntime reads them back from there', async () => {
    const path = join(dir, 'model.onnx');
    const saved = saveOnnxModel(smallGraph(), path, {
      externalData: true,
      minExternalBytes: 0,
      alignment: 64,
    });
    expect(saved.files).toEqual([path, `${path}_data`]);
    const data = readFileSync(`${path}_data`);
    expect(data.length).toBeGreaterThanOrEqual(W.byteLength);
    // The weights live only in the side-car file.
    const proto = readFileSync(path);
    expect(Buffer.from(proto).indexOf(Buffer.from(W.buffer))).toBe(-1);
    expect(data.indexOf(Buffer.from(W.buffer))).toBeGreaterThanOrEqual(0);
    const { result } = await run(path);
    const out = Array.from(result.out?.data as Float32Array);
    for (const [i, v] of expected().entries()) expect(out[i]).toBeCloseTo(v, 5);
  });
});
