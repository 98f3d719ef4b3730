// 4-bit TinyStories through the product's text path on wasm (WorkerTextEngine →
// transformers.js), with the load-time MatMulNBits rewrite (docs/runtimes.md) and
// without it. The q4 graph is made here from stories260K with the project's tools.

import { rewriteQ4Model } from '../../src/core/onnx/rewriteQ4Model';
import { DEFAULT_GENERATION, type LoadRequest } from '../../src/inference/types';
import { llama2cToLlama } from '../../tools/llama2c/fromLlama2c';
import { buildLlamaGraph } from '../../tools/llama2c/llamaGraph';
import { q4Linear } from '../../tools/llama2c/quantize';
import { loadReference } from '../../tools/llama2c/reference';
import { encodeModel } from '../../tools/onnx/onnxModel';
import { expect, test } from '../support/fixtures';
import { call, SHARED_MODELS_MISSING, STORIES, value } from './runtimesSupport';

test.skip(SHARED_MODELS_MISSING !== null, SHARED_MODELS_MISSING ?? '');

const PROMPT = 'Once upon a time, there was a little dog';
const Q4_FILE = 'onnx/model_q4.onnx';

test("transformers.js q4 on wasm: the rewritten paths give the unrewritten greedy text (fp32) and the Node rewrite's text (int8)", async ({
  page,
  servers,
}) => {
  const { config, weights } = llama2cToLlama(loadReference().checkpoint);
  const q4 = encodeModel(buildLlamaGraph(config, weights, q4Linear));
  const int8 = (await rewriteQ4Model(q4)).bytes; // rewritten in Node, stored as it is
  await page.goto(`${servers.harness.url}runtimes.html`);
  const base = `${servers.models.url}/stories260k/1.0.0/`;
  for (const [version, bytes] of [
    ['1.0.0', q4],
    ['1.0.0-int8', int8],
  ] as const) {
    value(await call(page, 'store', base, STORIES.id, version, STORIES.files));
    value(await call(page, 'storeBytes', STORIES.id, version, Q4_FILE, [...bytes]));
  }
  const settings = { ...DEFAULT_GENERATION, maxNewTokens: 60 };
  const generate = async (version: string, q4Rewrite: LoadRequest['q4Rewrite']) => {
    const request = { id: STORIES.id, version, device: 'wasm', dtype: 'q4', q4Rewrite } as const;
    value(await call(page, 'loadText', request));
    const { stats } = value(
      await call(page, 'generate', [{ role: 'user', content: PROMPT }], settings),
    );
    return stats;
  };

  const plain = await generate('1.0.0', 'off');
  expect(plain.tokens).toBe(settings.maxNewTokens);
  // fp32 MatMul on the dequantized weights: the same numbers, so the same story.
  expect((await generate('1.0.0', 'fp32')).text).toBe(plain.text);
  // int8 changes the numbers (logit tolerance: tests/unit/core/onnx): in the worker it
  // must match the same rewrite done in Node, and differ from not rewriting at all.
  const inWorker = await generate('1.0.0', 'int8');
  const fromNode = await generate('1.0.0-int8', 'off');
  expect(inWorker.text).toBe(fromNode.text);
  expect(inWorker.text).not.toBe(plain.text);
});
