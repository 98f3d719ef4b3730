// One prefill of a generated Llama graph on onnxruntime-web (empty KV cache):
// the logits and the session's input/output names, for the ONNX rewrite tests.

import type * as ort from 'onnxruntime-web';
import { Tensor } from 'onnxruntime-web';
import type { LlamaConfig } from '../../../../tools/llama2c/llamaGraph';

export async function prefillOn(session: ort.InferenceSession, c: LlamaConfig, prompt: number[]) {
  const i64 = (v: number[]) => new Tensor('int64', BigInt64Array.from(v, BigInt), [1, v.length]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: i64(prompt),
    attention_mask: i64(prompt.map(() => 1)),
    position_ids: i64(prompt.map((_, i) => i)),
  };
  for (let l = 0; l < c.numLayers; l++)
    for (const kind of ['key', 'value'])
      feeds[`past_key_values.${l}.${kind}`] = new Tensor('float32', new Float32Array(0), [
        1,
        c.numKvHeads,
        0,
        c.headDim,
      ]);
  const out = await session.run(feeds);
  const io = { inputs: [...session.inputNames], outputs: [...session.outputNames] };
  const logits = Float32Array.from(out.logits?.data as Float32Array);
  return { logits, io };
}
