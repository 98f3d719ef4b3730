// Emits HF `tokenizer.json` (BPE + byte fallback, Llama normalizer/decoder) and
// `tokenizer_config.json` from a llama2.c vocab, with merges ranked so HF BPE merging
// reproduces llama2.c's highest-score-pair merging.
import { BOS_ID, byteOfPiece, EOS_ID, type Llama2cVocab, UNK_ID } from './tokenizer';

const SPACE = '\u2581'; // SentencePiece `▁`
const SPECIALS: Record<number, string> = { [UNK_ID]: '<unk>', [BOS_ID]: '<s>', [EOS_ID]: '</s>' };

/** HF vocab strings: `▁` for spaces, `<unk>`/`<s>`/`</s>` for the control ids. */
export function hfPieces(vocab: Llama2cVocab): string[] {
  return vocab.pieces.map((p, id) => SPECIALS[id] ?? p.replaceAll(' ', SPACE));
}

/**
 * One merge (a, b) for every split of every mergeable piece into two mergeable pieces,
 * ranked by the merged piece's score (highest first; ties by id), which is exactly the
 * order in which llama2.c's encoder prefers pairs.
 */
export function mergesFromScores(vocab: Llama2cVocab): [string, string][] {
  const pieces = hfPieces(vocab);
  const mergeable = new Map<string, number>();
  pieces.forEach((p, id) => {
    if (SPECIALS[id] === undefined && byteOfPiece(p) === undefined && !mergeable.has(p))
      mergeable.set(p, id);
  });
  const ranked: { score: number; id: number; a: number; b: number; pair: [string, string] }[] = [];
  for (const [piece, id] of mergeable) {
    const chars = Array.from(piece);
    for (let k = 1; k < chars.length; k++) {
      const a = chars.slice(0, k).join('');
      const b = chars.slice(k).join('');
      const ia = mergeable.get(a);
      const ib = mergeable.get(b);
      if (ia !== undefined && ib !== undefined) {
        ranked.push({ score: vocab.scores[id] as number, id, a: ia, b: ib, pair: [a, b] });
      }
    }
  }
  ranked.sort((x, y) => y.score - x.score || x.id - y.id || x.a - y.a || x.b - y.b);
  return ranked.map((r) => r.pair);
}

/** The `tokenizer.json` object (HF tokenizers format). */
export function buildTokenizerJson(vocab: Llama2cVocab): Record<string, unknown> {
  const pieces = hfPieces(vocab);
  const vocabMap: Record<string, number> = {};
  pieces.forEach((p, id) => {
    if (p in vocabMap)
      throw new Error(
        `tokenizer: duplicate piece ${JSON.stringify(p)} (ids ${vocabMap[p]}, ${id})`,
      );
    vocabMap[p] = id;
  });
  const added = Object.entries(SPECIALS).map(([id, content]) => ({
    id: Number(id),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const bos = SPECIALS[BOS_ID] as string;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: SPACE },
        { type: 'Replace', pattern: { String: ' ' }, content: SPACE },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: bos, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: bos, type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { [bos]: { id: bos, ids: [BOS_ID], tokens: [bos] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: SPACE }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: SPECIALS[UNK_ID],
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab: vocabMap,
      merges: mergesFromScores(vocab),
    },
  };
}

/** The `tokenizer_config.json` object (no chat template: a plain completion model). */
export function buildTokenizerConfig(modelMaxLength: number): Record<string, unknown> {
  const decoder: Record<string, unknown> = {};
  for (const [id, content] of Object.entries(SPECIALS)) {
    decoder[id] = {
      content,
      lstrip: false,
      normalized: false,
      rstrip: false,
      single_word: false,
      special: true,
    };
  }
  return {
    add_bos_token: true,
    add_eos_token: false,
    added_tokens_decoder: decoder,
    bos_token: SPECIALS[BOS_ID],
    eos_token: SPECIALS[EOS_ID],
    unk_token: SPECIALS[UNK_ID],
    pad_token: SPECIALS[UNK_ID],
    clean_up_tokenization_spaces: false,
    legacy: false,
    model_max_length: modelMaxLength,
    padding_side: 'left',
    sp_model_kwargs: {},
    spaces_between_special_tokens: false,
    tokenizer_class: 'LlamaTokenizer',
    use_default_system_prompt: false,
  };
}
