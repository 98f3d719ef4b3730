// What transformers.js asks for when given our model names: a Hub install's id
// (`owner--name-dtype`) must still be read under /__models__/, never beside the script.

import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LOCAL_MODEL_ROOT,
  localModelName,
  localModelPath,
} from '../../../../src/inference/runtimes/modelFetch';

const TOKENIZER_CONFIG = { tokenizer_class: 'PreTrainedTokenizer', model_max_length: 8 };
const TOKENIZER = {
  version: '1.0',
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: 'Whitespace' },
  post_processor: null,
  decoder: null,
  model: { type: 'WordLevel', vocab: { '[UNK]': 0, hello: 1 }, unk_token: '[UNK]' },
};

const saved = { ...env };
let asked: string[];

beforeEach(() => {
  asked = [];
  // As the runtime configures it, with a fetch that serves one model folder.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = LOCAL_MODEL_ROOT;
  env.useFS = false;
  env.useBrowserCache = false;
  env.useFSCache = false;
  env.fetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    asked.push(url);
    const file = url.split('/').pop();
    const body =
      file === 'tokenizer.json'
        ? TOKENIZER
        : file === 'tokenizer_config.json'
          ? TOKENIZER_CONFIG
          : null;
    return body && url.startsWith(LOCAL_MODEL_ROOT)
      ? new Response(JSON.stringify(body))
      : new Response(null, { status: 404 });
  }) as typeof fetch;
});
afterEach(() => {
  Object.assign(env, saved);
});

describe('localModelPath', () => {
  it.each([
    ['stories260k', '1.0.0'],
    ['test--stories-chat-fp32', '0.0.0-c0123456789ab'],
    ['onnx-community--Qwen2.5-0.5B-Instruct-q4f16', '0.0.0-cdeadbeef0123'],
  ])('transformers.js reads %s@%s from /__models__/', async (id, version) => {
    const tokenizer = await AutoTokenizer.from_pretrained(localModelPath(id, version));
    expect(tokenizer.encode('hello', { add_special_tokens: false })).toEqual([1]);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((u) => u.startsWith(`${LOCAL_MODEL_ROOT}${id}/${version}/`))).toBe(true);
  });

  it('the bare name of a Hub install is not a model id to transformers.js: its files are looked for elsewhere', async () => {
    const name = localModelName('test--stories-chat-fp32', '0.0.0-c0123456789ab');
    await expect(AutoTokenizer.from_pretrained(name)).rejects.toThrow();
    expect(asked).toContain(`${name}/tokenizer_config.json`);
    expect(asked.some((u) => u.startsWith(LOCAL_MODEL_ROOT))).toBe(false);
  });
});
