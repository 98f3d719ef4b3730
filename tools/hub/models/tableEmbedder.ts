// A tiny sentence embedder in transformers.js's BERT layout, for tests: a
// WordPiece tokenizer over a small vocabulary and `last_hidden_state` looked
// up from a fixed table, so mean-pooled, normalized vectors and their cosine
// similarities can be computed exactly.

import { GraphBuilder } from '../../onnx/graphBuilder';
import { DataType, encodeModel } from '../../onnx/onnxModel';
import { jsonFile, type RepoFiles } from './repoFiles';

/** Token → its vector (dimensions: animal, vehicle, action, filler). Order = token id. */
const TABLE: readonly (readonly [string, readonly [number, number, number, number]])[] = [
  ['[PAD]', [0, 0, 0, 0]],
  ['[UNK]', [0, 0, 0, 0.1]],
  ['[CLS]', [0, 0, 0, 1]],
  ['[SEP]', [0, 0, 0, 1]],
  ['the', [0, 0, 0, 0.5]],
  ['a', [0, 0, 0, 0.5]],
  ['cat', [3, 0, 0, 0]],
  ['kitten', [3, 0, 0.5, 0]],
  ['dog', [2.5, 0.5, 0, 0]],
  ['car', [0, 3, 0, 0]],
  ['truck', [0, 3, 0.5, 0]],
  ['sat', [0, 0, 1, 0]],
  ['slept', [0.5, 0, 1, 0]],
  ['drove', [0, 0.5, 1, 0]],
  ['on', [0, 0, 0, 0.5]],
  ['mat', [0.2, 0, 0, 0.2]],
  ['road', [0, 0.5, 0, 0.2]],
];

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
const DIM = 4;

/** The token ids of a sentence as the tokenizer gives them: [CLS], lowercased words, [SEP]. */
export function embedderTokenIds(sentence: string): number[] {
  const ids = new Map(TABLE.map(([token], i) => [token, i]));
  const words = sentence.toLowerCase().match(/\w+|[^\w\s]/g) ?? [];
  return [2, ...words.map((w) => ids.get(w) ?? 1), 3];
}

/** The pipeline's vector for a sentence: the mean of its tokens' rows, L2-normalized. */
export function expectedEmbedding(sentence: string): number[] {
  const ids = embedderTokenIds(sentence);
  const mean = new Array<number>(DIM).fill(0).map((_, d) => {
    const total = ids.reduce((acc, id) => acc + (TABLE[id]?.[1][d] ?? 0), 0);
    return total / ids.length;
  });
  const norm = Math.hypot(...mean);
  return mean.map((x) => x / norm);
}

function tokenizerJson(): unknown {
  const vocab = Object.fromEntries(TABLE.map(([token], i) => [token, i]));
  const special = (id: number) => ({
    id,
    content: TABLE[id]?.[0],
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const token = (name: string) => ({ id: name, ids: [vocab[name]], tokens: [name] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((_, id) => special(id)),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': token('[CLS]'), '[SEP]': token('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

function embedderGraph(): Uint8Array {
  const g = new GraphBuilder('table_embedder');
  const ids = g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  // Declared as MiniLM's export declares them; the lookup needs only the ids.
  g.input('attention_mask', DataType.INT64, ['batch_size', 'sequence_length']);
  g.input('token_type_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const table = g.initializer(
    'word_embeddings',
    Float32Array.from(TABLE.flatMap(([, row]) => row)),
    [TABLE.length, DIM],
  );
  const hidden = g.op('Gather', [table, ids]);
  g.output(hidden, 'last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', DIM]);
  return encodeModel(g.model({ opset: 17 }));
}

/** The repo's files: config, tokenizer (+ config) and `onnx/model.onnx` (fp32). */
export function tableEmbedderRepo(): RepoFiles {
  return {
    'config.json': jsonFile({
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: DIM,
      vocab_size: TABLE.length,
      max_position_embeddings: 512,
    }),
    'tokenizer.json': jsonFile(tokenizerJson()),
    'tokenizer_config.json': jsonFile({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
    }),
    'onnx/model.onnx': embedderGraph(),
  };
}
