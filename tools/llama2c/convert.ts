// Converts a llama2.c checkpoint + tokenizer into a transformers.js model folder
// (config, generation config, tokenizer files, fp32 onnx/model.onnx). Also a CLI.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readLlama2cCheckpoint } from './checkpoint';
import { llama2cToLlama } from './fromLlama2c';
import { exportLlamaOnnx } from './llamaGraph';
import { writeLlamaModelFolder } from './modelFolder';
import { q8Linear } from './quantize';
import { DEFAULT_CHECKPOINT, DEFAULT_TOKENIZER } from './reference';
import { BOS_ID, EOS_ID, readLlama2cTokenizer } from './tokenizer';

export const LLAMA2C_SOURCES =
  'upstream: DaveBben/esp32-llm @934dab4, data/stories260K.bin and data/tok512.bin ' +
  '(weights: karpathy/tinyllamas, MIT)';

export interface ConvertOptions {
  checkpointPath: string;
  tokenizerPath: string;
  outDir: string;
  /** Also write onnx/model_quantized.onnx (int8 weights; transformers.js dtype 'q8'). */
  q8?: boolean;
}

/** Writes the model folder into `outDir`; returns the written file paths. */
export async function convertLlama2c(opts: ConvertOptions): Promise<{ files: string[] }> {
  const checkpoint = readLlama2cCheckpoint(opts.checkpointPath);
  const vocab = readLlama2cTokenizer(opts.tokenizerPath);
  if (vocab.pieces.length !== checkpoint.config.vocabSize) {
    throw new Error(
      `tokenizer has ${vocab.pieces.length} pieces but the checkpoint expects ${checkpoint.config.vocabSize}`,
    );
  }
  const { config, weights } = llama2cToLlama(checkpoint);
  const written = writeLlamaModelFolder({
    outDir: opts.outDir,
    config,
    weights,
    vocab,
    // run.c ends a story when the model emits BOS; EOS never occurs in TinyStories.
    stopIds: [EOS_ID, BOS_ID],
  });
  if (opts.q8) {
    const q8Path = join(opts.outDir, 'onnx', 'model_quantized.onnx');
    written.files.push(...exportLlamaOnnx(config, weights, q8Path, { linear: q8Linear }).files);
  }
  return written;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      checkpoint: { type: 'string', default: DEFAULT_CHECKPOINT },
      tokenizer: { type: 'string', default: DEFAULT_TOKENIZER },
      out: { type: 'string' },
      q8: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const usage =
    'usage: tsx tools/llama2c/convert.ts [--checkpoint P] [--tokenizer P] --out DIR [--q8]';
  if (values.help || !values.out) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const missing = [values.checkpoint, values.tokenizer].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    console.error(
      `missing ${missing.join(', ')}.\nThese llama2.c files come from ${LLAMA2C_SOURCES}; ` +
        `download them and place them in ${resolve(DEFAULT_CHECKPOINT, '..')} (or pass --checkpoint/--tokenizer).`,
    );
    return 1;
  }
  const { files } = await convertLlama2c({
    checkpointPath: values.checkpoint,
    tokenizerPath: values.tokenizer,
    outDir: values.out,
    q8: values.q8,
  });
  console.log(`wrote ${files.length} files:\n${files.join('\n')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) {
  process.exitCode = await main();
}
