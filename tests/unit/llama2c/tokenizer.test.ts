// llama2.c tokenizer: known ids, byte fallback, round trips, and the derived HF merges.
import { describe, expect, it } from 'vitest';
import { buildTokenizerJson, mergesFromScores } from '../../../tools/llama2c/hfTokenizer';
import {
  BOS_ID,
  EOS_ID,
  Llama2cTokenizer,
  readLlama2cTokenizer,
} from '../../../tools/llama2c/tokenizer';
import { HAVE_LLAMA2C, llama2cSuite, TOKENIZER } from './sharedModels';

describe.skipIf(!HAVE_LLAMA2C)(llama2cSuite('llama2.c tokenizer (tok512.bin)'), () => {
  const tok = HAVE_LLAMA2C
    ? new Llama2cTokenizer(readLlama2cTokenizer(TOKENIZER))
    : (undefined as never);

  it('reads 512 pieces with control ids, byte pieces at 3..258 and ▁ stored as a space', () => {
    expect(tok.vocabSize).toBe(512);
    expect(tok.vocab.pieces.slice(0, 4)).toEqual(['<unk>', '\n<s>\n', '\n</s>\n', '<0x00>']);
    expect(tok.vocab.pieces[258]).toBe('<0xFF>');
    expect(tok.vocab.pieces[259]).toBe(' t');
  });

  it('encodes "Once upon a time" to the known ids, BOS first, merging the dummy-prefix space', () => {
    expect(tok.encode('Once upon a time')).toEqual([1, 403, 407, 261, 378]);
    expect(tok.encode('Once upon a time', { bos: false, eos: true })).toEqual([
      403,
      407,
      261,
      378,
      EOS_ID,
    ]);
    expect(tok.encode('')).toEqual([BOS_ID]);
  });

  it('falls back to UTF-8 byte pieces (id = byte + 3) for characters outside the vocab', () => {
    // ï = C3 AF, 😀 = F0 9F 98 80, newline = 0A.
    expect(tok.encode('naïve 😀')).toEqual([
      1,
      297,
      412,
      0xc3 + 3,
      0xaf + 3,
      360,
      410,
      0xf0 + 3,
      0x9f + 3,
      0x98 + 3,
      0x80 + 3,
    ]);
    expect(tok.encode('a\nb')).toContain(0x0a + 3);
  });

  it('round-trips text through encode and decode, including non-ASCII and emoji', () => {
    for (const s of [
      'Once upon a time, there was a little dog',
      'Hello, world!',
      'naïve café 😀 👩‍👩‍👧 日本語',
      'Line one\nLine two\ttabbed',
      `Lily's mom said, "Lily, let's go."`,
      '  leading and trailing spaces  ',
      '<s> is text here, not a control token',
    ]) {
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('decodes like run.c: strips one leading space only right after BOS', () => {
    expect(tok.decode([1, 403])).toBe('Once');
    expect(tok.decode([403])).toBe(' Once');
    expect(tok.decode([407], 403)).toBe(' upon');
  });

  it('derives HF merges whose order follows the llama2.c scores of the merged pieces', () => {
    const merges = mergesFromScores(tok.vocab);
    expect(merges[0]).toEqual(['▁', 't']); // ' t' (id 259) has the highest merge score
    const json = buildTokenizerJson(tok.vocab) as { model: { vocab: Record<string, number> } };
    expect(json.model.vocab['▁t']).toBe(259);
    expect(json.model.vocab['<s>']).toBe(1);
    expect(json.model.vocab['<0x0A>']).toBe(13);
  });
});
