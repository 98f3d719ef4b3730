// Weight int8 quantization for Llama linears as standard-op dynamic quantization
// (DynamicQuantizeLinear + MatMulInteger), the layout transformers.js ships as "q8".
import { attr } from '../onnx/graphBuilder';
import { DataType } from '../onnx/onnxModel';
import type { LinearFactory } from './llamaGraph';

/** Symmetric per-output-channel int8: returns [in, out] int8 weights and [out] scales. */
export function quantizeInt8PerChannel(
  weight: Float32Array,
  outFeatures: number,
  inFeatures: number,
): { q: Int8Array; scales: Float32Array } {
  const q = new Int8Array(weight.length);
  const scales = new Float32Array(outFeatures);
  for (let o = 0; o < outFeatures; o++) {
    let max = 0;
    const row = o * inFeatures;
    for (let i = 0; i < inFeatures; i++) max = Math.max(max, Math.abs(weight[row + i] as number));
    const scale = max > 0 ? max / 127 : 1;
    scales[o] = scale;
    for (let i = 0; i < inFeatures; i++) {
      const v = Math.round((weight[row + i] as number) / scale);
      q[i * outFeatures + o] = Math.max(-127, Math.min(127, v)); // transposed to [in, out]
    }
  }
  return { q, scales };
}

/** y = (x_q - x_zp) @ W_q * (x_scale * w_scale), activations quantized per call to uint8. */
export const q8Linear: LinearFactory = (g, name, weight, outFeatures, inFeatures) => {
  const { q, scales } = quantizeInt8PerChannel(weight, outFeatures, inFeatures);
  const base = name.replace(/\.weight$/, '');
  const wq = g.initializer(`${base}.weight_quantized`, q, [inFeatures, outFeatures]);
  const ws = g.initializer(`${base}.weight_scale`, scales, [outFeatures]);
  const wzp = g.initializer(`${base}.weight_zero_point`, new Int8Array(outFeatures), [outFeatures]);
  return (x) => {
    const [xq, xs, xzp] = g.node('DynamicQuantizeLinear', [x], {
      name: `${base}.quantize_input`,
      count: 3,
    }) as [string, string, string];
    const acc = g.op('MatMulInteger', [xq, wq, xzp, wzp], undefined, `${base}.matmul_int`);
    const accF = g.op('Cast', [acc], { to: attr.int(DataType.FLOAT) });
    const scale = g.op('Mul', [xs, ws], undefined, `${base}.scale`);
    return g.op('Mul', [accF, scale], undefined, base);
  };
};
