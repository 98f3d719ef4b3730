// gen-llama: random-weight model folders load and generate in transformers.js.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genLlama } from '../../../tools/gen-llama';
import { LLAMA_SHAPES, syntheticVocab } from '../../../tools/llama2c/randomLlama';
import { Llama2cTokenizer } from '../../../tools/llama2c/tokenizer';
import { mulberry32 } from '../../../tools/mulberry32';

const NEW_TOKENS = 12;

describe('gen-llama: random-weight Llama model folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'gen-llama-'));
  beforeAll(() => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = root;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function generate(id: string, dtype: 'fp32' | 'q8') {
    const model = await AutoModelForCausalLM.from_pretrained(id, { dtype });
    const tokenizer = await AutoTokenizer.from_pretrained(id);
    const enc = tokenizer('Hello there, tiny model');
    const out = (await model.generate({
      ...enc,
      max_new_tokens: NEW_TOKENS,
      min_new_tokens: NEW_TOKENS,
      do_sample: false,
    })) as Tensor;
    await model.dispose();
    return { promptLength: enc.input_ids.dims[1] as number, out };
  }

  it('a tiny fp32 model with external data loads in transformers.js and generates N tokens', async () => {
    const outDir = join(root, 'tiny-fp32');
    const { files } = genLlama({ shape: 'tiny', seed: 3, outDir, externalData: true });
    expect(files.map((f) => f.slice(outDir.length + 1))).toContain('onnx/model.onnx_data');
    const config = JSON.parse(readFileSync(join(outDir, 'config.json'), 'utf8'));
    expect(config['transformers.js_config']).toEqual({
      dtype: 'fp32',
      use_external_data_format: { 'model.onnx': true },
    });
    const { promptLength, out } = await generate('tiny-fp32', 'fp32');
    expect(out.dims).toEqual([1, promptLength + NEW_TOKENS]);
  });

  it('a tiny q8 model (onnx/model_quantized.onnx) loads with dtype q8 and generates N tokens', async () => {
    const outDir = join(root, 'tiny-q8');
    const { files } = genLlama({ shape: 'tiny', dtype: 'q8', seed: 3, outDir });
    expect(files.map((f) => f.slice(outDir.length + 1))).toContain('onnx/model_quantized.onnx');
    const { promptLength, out } = await generate('tiny-q8', 'q8');
    expect(out.dims).toEqual([1, promptLength + NEW_TOKENS]);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const bytes = (seed: number, name: string) => {
      const dir = join(root, `det-${seed}-${name}`);
      genLlama({ shape: 'tiny', seed, outDir: dir });
      return readFileSync(join(dir, 'onnx', 'model.onnx'));
    };
    expect(bytes(5, 'a').equals(bytes(5, 'b'))).toBe(true);
    expect(bytes(5, 'c').equals(bytes(6, 'd'))).toBe(false);
  });

  it('the synthetic tokenizer.json encodes exactly like the llama2.c encoder on the same vocab', async () => {
    const vocab = syntheticVocab(LLAMA_SHAPES.tiny.vocabSize, 3);
    const ref = new Llama2cTokenizer(vocab);
    genLlama({ shape: 'tiny', seed: 3, outDir: join(root, 'tiny-tokenizer') });
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-tokenizer');
    const rand = mulberry32(11);
    const alphabet = Array.from(' abcdefghiHELLO.,!?\n😀é');
    for (let n = 0; n < 200; n++) {
      const text = Array.from(
        { length: 1 + Math.floor(rand() * 24) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
      const ids = ref.encode(text);
      expect(
        Array.from(tokenizer(text).input_ids.data as BigInt64Array, Number),
        JSON.stringify(text),
      ).toEqual(ids);
      expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe(text);
    }
  });

  it('the smollm2-135m shape has SmolLM2-135M’s parameter count (~134.5M, tied embeddings)', () => {
    const c = LLAMA_SHAPES['smollm2-135m'];
    const kv = c.numKvHeads * c.headDim;
    const perLayer =
      2 * c.hiddenSize * c.numHeads * c.headDim +
      2 * c.hiddenSize * kv +
      3 * c.hiddenSize * c.intermediateSize +
      2 * c.hiddenSize;
    const params = c.vocabSize * c.hiddenSize + c.numLayers * perLayer + c.hiddenSize;
    expect(params).toBe(134_515_008);
  });
});
