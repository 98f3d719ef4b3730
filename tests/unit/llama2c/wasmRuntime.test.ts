// The stories260K graph (fp32 and q8) on onnxruntime-web's wasm backend, as the browser runs it.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { llama2cToLlama } from '../../../tools/llama2c/fromLlama2c';
import { buildLlamaGraph } from '../../../tools/llama2c/llamaGraph';
import { q8Linear } from '../../../tools/llama2c/quantize';
import { argmax, greedyContinuation, loadReference } from '../../../tools/llama2c/reference';
import { encodeModel } from '../../../tools/onnx/onnxModel';
import { HAVE_LLAMA2C, llama2cSuite } from './sharedModels';

const PROMPT = 'Once upon a time, there was a little dog';
const STEPS = 40;
const i64 = (v: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);

/** Greedy decoding with the KV cache, one ORT call per token after the prefill. */
async function greedyWithCache(session: ort.InferenceSession, prompt: number[], steps: number) {
  let past: Record<string, ort.Tensor> = {};
  for (let l = 0; l < 5; l++) {
    for (const kind of ['key', 'value']) {
      past[`past_key_values.${l}.${kind}`] = new ort.Tensor(
        'float32',
        new Float32Array(0),
        [1, 4, 0, 8],
      );
    }
  }
  const out: number[] = [];
  let input = prompt;
  let total = 0;
  while (out.length < steps) {
    const positions = input.map((_, i) => total + i);
    total += input.length;
    const res = await session.run({
      input_ids: i64(input),
      attention_mask: i64(Array(total).fill(1)),
      position_ids: i64(positions),
      ...past,
    });
    const logits = res.logits?.data as Float32Array;
    const next = argmax(logits.subarray(logits.length - 512));
    out.push(next);
    if (next === 1 || next === 2) break;
    past = {};
    for (const [name, t] of Object.entries(res)) {
      if (name.startsWith('present.')) past[name.replace('present.', 'past_key_values.')] = t;
    }
    input = [next];
  }
  return out;
}

describe.skipIf(!HAVE_LLAMA2C)(
  llama2cSuite('stories260K graph on onnxruntime-web (wasm backend)'),
  () => {
    ort.env.wasm.numThreads = 1;
    const { config, weights } = llama2cToLlama(loadReference().checkpoint);

    for (const dtype of ['fp32', 'q8'] as const) {
      it(`${dtype}: greedy decoding with the KV cache reproduces the reference continuation`, async () => {
        const graph = buildLlamaGraph(config, weights, dtype === 'q8' ? q8Linear : undefined);
        const session = await ort.InferenceSession.create(encodeModel(graph), {
          executionProviders: ['wasm'],
        });
        const ref = greedyContinuation(PROMPT, STEPS);
        expect(await greedyWithCache(session, ref.promptIds, STEPS)).toEqual(ref.ids);
        await session.release();
      });
    }
  },
);
