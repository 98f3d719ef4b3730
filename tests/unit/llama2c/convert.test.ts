// convertLlama2c end to end: the converted stories260K folder in transformers.js matches the reference.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  Tensor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertLlama2c } from '../../../tools/llama2c/convert';
import { greedyContinuation, loadReference } from '../../../tools/llama2c/reference';
import { mulberry32 } from '../../../tools/mulberry32';
import { CHECKPOINT, HAVE_LLAMA2C, llama2cSuite, README_STORY, TOKENIZER } from './sharedModels';

const PROMPT = 'Once upon a time, there was a little dog';
const ids64 = (ids: number[]) =>
  new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
const toNumbers = (t: Tensor) => Array.from(t.data as BigInt64Array, Number);

describe.skipIf(!HAVE_LLAMA2C)(
  llama2cSuite('convertLlama2c → transformers.js (stories260K)'),
  () => {
    let root = '';
    let outDir = '';
    let files: string[] = [];
    let model: PreTrainedModel;
    let tokenizer: PreTrainedTokenizer;

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'llama2c-convert-'));
      outDir = join(root, 'stories260k');
      ({ files } = await convertLlama2c({
        checkpointPath: CHECKPOINT,
        tokenizerPath: TOKENIZER,
        outDir,
      }));
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = root;
      model = await AutoModelForCausalLM.from_pretrained('stories260k', { dtype: 'fp32' });
      tokenizer = await AutoTokenizer.from_pretrained('stories260k');
    });
    afterAll(async () => {
      await model?.dispose();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('writes config, generation config, tokenizer files and onnx/model.onnx with Llama metadata', () => {
      const names = files.map((f) => f.slice(outDir.length + 1)).sort();
      expect(names).toEqual(
        [
          'config.json',
          'generation_config.json',
          'onnx/model.onnx',
          'special_tokens_map.json',
          'tokenizer.json',
          'tokenizer_config.json',
        ].sort(),
      );
      const config = JSON.parse(readFileSync(join(outDir, 'config.json'), 'utf8'));
      expect(config).toMatchObject({
        model_type: 'llama',
        architectures: ['LlamaForCausalLM'],
        hidden_size: 64,
        intermediate_size: 172,
        num_hidden_layers: 5,
        num_attention_heads: 8,
        num_key_value_heads: 4,
        head_dim: 8,
        vocab_size: 512,
        max_position_embeddings: 512,
        rms_norm_eps: 1e-5,
        rope_theta: 10000,
        bos_token_id: 1,
        eos_token_id: 2,
        tie_word_embeddings: true,
        torch_dtype: 'float32',
      });
      const gen = JSON.parse(readFileSync(join(outDir, 'generation_config.json'), 'utf8'));
      expect(gen).toMatchObject({ bos_token_id: 1, eos_token_id: [2, 1], do_sample: false });
      const tokConfig = JSON.parse(readFileSync(join(outDir, 'tokenizer_config.json'), 'utf8'));
      expect(tokConfig).toMatchObject({
        add_bos_token: true,
        tokenizer_class: 'LlamaTokenizer',
        model_max_length: 512,
      });
      expect(tokConfig.chat_template).toBeUndefined();
    });

    it('generates from [[1]] greedily the same 100 ids as the reference, and the README story', async () => {
      const out = (await model.generate({
        input_ids: ids64([1]),
        attention_mask: ids64([1]),
        max_new_tokens: 100,
        do_sample: false,
      })) as Tensor;
      const ids = toNumbers(out);
      expect(ids.slice(1)).toEqual(greedyContinuation('', 100).ids);
      expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe(README_STORY);
    });

    it('tokenizes a prompt to the llama2.c encoder ids (with BOS) and continues it like the reference', async () => {
      const ref = greedyContinuation(PROMPT, 60);
      const enc = tokenizer(PROMPT);
      expect(toNumbers(enc.input_ids)).toEqual(ref.promptIds);
      const out = (await model.generate({
        ...enc,
        max_new_tokens: 60,
        do_sample: false,
      })) as Tensor;
      const newIds = toNumbers(out).slice(ref.promptIds.length);
      expect(newIds).toEqual(ref.ids);
      const full = tokenizer.decode(toNumbers(out), { skip_special_tokens: true });
      expect(full).toBe(PROMPT + ref.text);
    });

    it('matches llama2.c encode/decode for many strings: punctuation, newlines, non-ASCII, emoji, random', () => {
      const { tokenizer: ref } = loadReference();
      const rand = mulberry32(7);
      const alphabet = Array.from(' abcdeilmnorstuyLOT.,!?\'"\n\téüß€日😀');
      const randomStrings = Array.from({ length: 200 }, () =>
        Array.from(
          { length: 1 + Math.floor(rand() * 30) },
          () => alphabet[Math.floor(rand() * alphabet.length)],
        ).join(''),
      );
      const cases = [
        README_STORY,
        'Hello, world!',
        '  two leading spaces and two trailing  ',
        'naïve café 😀 👩‍👩‍👧 日本語',
        'tabs\tand\nnewlines\r\n',
        '\u200a hair space',
        ...randomStrings,
      ];
      for (const text of cases) {
        const ids = ref.encode(text);
        expect(toNumbers(tokenizer(text).input_ids), JSON.stringify(text)).toEqual(ids);
        expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe(ref.decode(ids));
      }
    });
  },
);

describe.skipIf(!HAVE_LLAMA2C)(
  llama2cSuite('convertLlama2c with q8: transformers.js dtype q8'),
  () => {
    it('also writes onnx/model_quantized.onnx, which generates the README story token for token', async () => {
      const root = mkdtempSync(join(tmpdir(), 'llama2c-q8-'));
      try {
        const outDir = join(root, 'stories260k-q8');
        const { files } = await convertLlama2c({
          checkpointPath: CHECKPOINT,
          tokenizerPath: TOKENIZER,
          outDir,
          q8: true,
        });
        expect(files).toContain(join(outDir, 'onnx', 'model_quantized.onnx'));
        env.localModelPath = root;
        const model = await AutoModelForCausalLM.from_pretrained('stories260k-q8', { dtype: 'q8' });
        const out = (await model.generate({
          input_ids: ids64([1]),
          attention_mask: ids64([1]),
          max_new_tokens: 100,
          do_sample: false,
        })) as Tensor;
        await model.dispose();
        expect(toNumbers(out).slice(1)).toEqual(greedyContinuation('', 100).ids);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  },
);

describe('convert CLI', () => {
  it('exits non-zero and says where the llama2.c files come from when they are missing', () => {
    const res = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'tools/llama2c/convert.ts',
        '--checkpoint',
        '/nonexistent/stories260K.bin',
        '--out',
        tmpdir(),
      ],
      { encoding: 'utf8' },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('DaveBben/esp32-llm @934dab4');
    expect(res.stderr).toContain('/nonexistent/stories260K.bin');
  });
});
