// CLI: writes a transformers.js Llama model folder with seeded random weights and a
// synthetic tokenizer, in a named shape (e.g. SmolLM2-135M), for benchmarks and tests.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLlamaModelFolder } from './llama2c/modelFolder';
import { q8Linear } from './llama2c/quantize';
import {
  LLAMA_SHAPES,
  type LlamaShapeName,
  randomLlamaWeights,
  syntheticVocab,
} from './llama2c/randomLlama';

export interface GenLlamaOptions {
  shape: LlamaShapeName;
  dtype?: 'fp32' | 'q8';
  seed?: number;
  outDir: string;
  /** Force (true) or forbid (false) external data; default: only above ~100 MB. */
  externalData?: boolean;
}

/** Generates the folder; `dtype` q8 writes onnx/model_quantized.onnx (transformers.js 'q8'). */
export function genLlama(opts: GenLlamaOptions): { files: string[] } {
  const config = LLAMA_SHAPES[opts.shape];
  if (!config)
    throw new Error(`unknown shape ${opts.shape}; known: ${Object.keys(LLAMA_SHAPES).join(', ')}`);
  const seed = opts.seed ?? 0;
  const q8 = opts.dtype === 'q8';
  return writeLlamaModelFolder({
    outDir: opts.outDir,
    config,
    weights: randomLlamaWeights(config, seed),
    vocab: syntheticVocab(config.vocabSize, seed),
    dtype: q8 ? 'q8' : 'fp32',
    onnxName: q8 ? 'model_quantized.onnx' : 'model.onnx',
    linear: q8 ? q8Linear : undefined,
    save: { externalData: opts.externalData ?? 'auto' },
  });
}

function main(): number {
  const { values } = parseArgs({
    options: {
      shape: { type: 'string', default: 'tiny' },
      dtype: { type: 'string', default: 'fp32' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
      'external-data': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const shapes = Object.keys(LLAMA_SHAPES).join('|');
  const usage = `usage: tsx tools/gen-llama.ts --shape ${shapes} [--dtype fp32|q8] [--seed N] [--external-data] --out DIR`;
  if (
    values.help ||
    !values.out ||
    !(values.shape in LLAMA_SHAPES) ||
    !['fp32', 'q8'].includes(values.dtype)
  ) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const started = performance.now();
  const { files } = genLlama({
    shape: values.shape as LlamaShapeName,
    dtype: values.dtype as 'fp32' | 'q8',
    seed: Number(values.seed),
    outDir: values.out,
    externalData: values['external-data'],
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`wrote ${files.length} files in ${seconds} s:\n${files.join('\n')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) {
  process.exitCode = main();
}
