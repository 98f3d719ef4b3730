// The tokenizer of TFLite Model Maker's text models (the metadata's
// RegexTokenizer): lowercase, split on a delimiter pattern, look each word up
// in the vocabulary, start with <START>, pad with <PAD> to the input length.

import type { EmbeddingSpec } from './taskSpec';

/** `word id` lines into a map; blank lines are skipped. */
export function parseVocab(text: string): Map<string, number> {
  const vocab = new Map<string, number>();
  for (const line of text.split('\n')) {
    const at = line.trimEnd().lastIndexOf(' ');
    if (at <= 0) continue;
    const id = Number(line.slice(at + 1));
    if (Number.isInteger(id)) vocab.set(line.slice(0, at), id);
  }
  return vocab;
}

/** The model's input ids for one text; words past the input length are dropped. */
export function encodeText(
  text: string,
  vocab: Map<string, number>,
  spec: Pick<EmbeddingSpec, 'delimiter' | 'length' | 'start' | 'unknown' | 'pad'>,
): Int32Array {
  const ids = new Int32Array(spec.length).fill(spec.pad);
  ids[0] = spec.start;
  const words = text
    .toLowerCase()
    .split(new RegExp(spec.delimiter))
    .filter((w) => w !== '');
  for (let i = 0; i < words.length && i + 1 < spec.length; i++) {
    ids[i + 1] = vocab.get(words[i] as string) ?? spec.unknown;
  }
  return ids;
}
