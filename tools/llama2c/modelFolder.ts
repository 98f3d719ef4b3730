// Writes a complete transformers.js model folder for a Llama graph: config.json,
// generation_config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SaveOptions } from '../onnx/saveModel';
import { buildTokenizerConfig, buildTokenizerJson } from './hfTokenizer';
import {
  exportLlamaOnnx,
  type LinearFactory,
  type LlamaConfig,
  type LlamaWeights,
} from './llamaGraph';
import { BOS_ID, EOS_ID, type Llama2cVocab, UNK_ID } from './tokenizer';

export interface ModelFolderOptions {
  outDir: string;
  config: LlamaConfig;
  weights: LlamaWeights;
  vocab: Llama2cVocab;
  /** ONNX file name under onnx/ (transformers.js: model.onnx = fp32, model_quantized.onnx = q8, model_q4.onnx = q4). */
  onnxName?: string;
  dtype?: 'fp32' | 'q8' | 'q4';
  linear?: LinearFactory;
  save?: SaveOptions;
  /** Ids that end generation (default [EOS]). */
  stopIds?: number[];
}

/** HF `config.json` for LlamaForCausalLM. */
export function llamaConfigJson(
  c: LlamaConfig,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKvHeads,
    head_dim: c.headDim,
    vocab_size: c.vocabSize,
    max_position_embeddings: c.maxPositions,
    rms_norm_eps: c.rmsEps,
    rope_theta: c.ropeTheta,
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: BOS_ID,
    eos_token_id: EOS_ID,
    tie_word_embeddings: c.tieEmbeddings,
    torch_dtype: 'float32',
    use_cache: true,
    ...extra,
  };
}

const writeJson = (path: string, value: unknown) =>
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

/** Writes the folder; returns the written file paths. */
export function writeLlamaModelFolder(opts: ModelFolderOptions): { files: string[] } {
  const { outDir, config } = opts;
  const onnxName = opts.onnxName ?? 'model.onnx';
  mkdirSync(join(outDir, 'onnx'), { recursive: true });
  const saved = exportLlamaOnnx(config, opts.weights, join(outDir, 'onnx', onnxName), {
    ...opts.save,
    linear: opts.linear,
  });
  const external = saved.files.length > 1;
  const files: string[] = [];
  const json = (name: string, value: unknown) => {
    const path = join(outDir, name);
    writeJson(path, value);
    files.push(path);
  };
  json(
    'config.json',
    llamaConfigJson(config, {
      'transformers.js_config': {
        dtype: opts.dtype ?? 'fp32',
        ...(external ? { use_external_data_format: { [onnxName]: true } } : {}),
      },
    }),
  );
  json('generation_config.json', {
    bos_token_id: BOS_ID,
    eos_token_id: opts.stopIds ?? EOS_ID,
    pad_token_id: UNK_ID,
    do_sample: false,
    max_length: config.maxPositions,
  });
  json('tokenizer.json', buildTokenizerJson(opts.vocab));
  json('tokenizer_config.json', buildTokenizerConfig(config.maxPositions));
  json('special_tokens_map.json', {
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: '<unk>',
  });
  return { files: [...files, ...saved.files] };
}
