// The embedder's tokenizer: vocabulary lines, lowercase regex split, <START>,
// <UNKNOWN> and <PAD>, truncation to the input length.

import { describe, expect, it } from 'vitest';
import { encodeText, parseVocab } from '../../../../src/core/tasks/regexTokenizer';

const vocab = parseVocab(
  "<PAD> 0\n<START> 1\n<UNKNOWN> 2\nthe 3\na 4\nis 9\nfilm 16\nisn't 20\n\n",
);
const spec = { delimiter: "[^\\w\\']+", length: 8, start: 1, unknown: 2, pad: 0 };

describe('parseVocab', () => {
  it('reads word/id lines', () => {
    expect(vocab.get('film')).toBe(16);
    expect(vocab.get('<PAD>')).toBe(0);
    expect(vocab.size).toBe(8);
  });
});

describe('encodeText', () => {
  it.each([
    { text: 'The film is a', want: [1, 3, 16, 9, 4, 0, 0, 0] },
    { text: '  THE, film!!  zebra ', want: [1, 3, 16, 2, 0, 0, 0, 0] },
    { text: "it isn't", want: [1, 2, 20, 0, 0, 0, 0, 0] },
    { text: '', want: [1, 0, 0, 0, 0, 0, 0, 0] },
    { text: 'a a a a a a a a a a', want: [1, 4, 4, 4, 4, 4, 4, 4] },
  ])('"$text"', ({ text, want }) => {
    expect(Array.from(encodeText(text, vocab, spec))).toEqual(want);
  });
});
