// CLI: writes a transformers.js Llama model folder with seeded random weights and a
// synthetic tokenizer, in a named shape (e.g. SmolLM2-135M), for benchmarks and tests.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LinearFactory } from './llama2c/llamaGraph';
import { writeLlamaModelFolder } from './llama2c/modelFolder';
import { q4Linear, q8Linear } from './llama2c/quantize';
import {
  LLAMA_SHAPES,
  type LlamaShapeName,
  randomLlamaWeights,
  syntheticVocab,
} from './llama2c/randomLlama';

export type GenLlamaDtype = 'fp32' | 'q8' | 'q4';

/** transformers.js's file name per dtype, and the linear layers that produce it. */
const DTYPES: Record<GenLlamaDtype, { onnxName: string; linear?: LinearFactory }> = {
  fp32: { onnxName: 'model.onnx' },
  q8: { onnxName: 'model_quantized.onnx', linear: q8Linear },
  q4: { onnxName: 'model_q4.onnx', linear: q4Linear },
};

export interface GenLlamaOptions {
  shape: LlamaShapeName;
  dtype?: GenLlamaDtype;
  seed?: number;
  outDir: string;
  /** Force (true) or forbid (false) external data; default: only above ~100 MB. */
  externalData?: boolean;
}

/**
 * Generates the folder; `dtype` q8 writes onnx/model_quantized.onnx (transformers.js 'q8'),
 * q4 onnx/model_q4.onnx (MatMulNBits, 4-bit blocks of 32: transformers.js 'q4').
 */
export function genLlama(opts: GenLlamaOptions): { files: string[] } {
  const config = LLAMA_SHAPES[opts.shape];
  if (!config)
    throw new Error(`unknown shape ${opts.shape}; known: ${Object.keys(LLAMA_SHAPES).join(', ')}`);
  const seed = opts.seed ?? 0;
  const dtype = opts.dtype ?? 'fp32';
  const { onnxName, linear } = DTYPES[dtype];
  return writeLlamaModelFolder({
    outDir: opts.outDir,
    config,
    weights: randomLlamaWeights(config, seed),
    vocab: syntheticVocab(config.vocabSize, seed),
    dtype,
    onnxName,
    linear,
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
  const usage = `usage: tsx tools/gen-llama.ts --shape ${shapes} [--dtype fp32|q8|q4] [--seed N] [--external-data] --out DIR`;
  if (values.help || !values.out || !(values.shape in LLAMA_SHAPES) || !(values.dtype in DTYPES)) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const started = performance.now();
  const { files } = genLlama({
    shape: values.shape as LlamaShapeName,
    dtype: values.dtype as GenLlamaDtype,
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
