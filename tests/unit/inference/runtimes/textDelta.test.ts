// Streaming deltas with a real tokenizer (tiny-random-llama's SentencePiece
// with byte fallback): they add up to the full decode and cost a bounded
// number of decoded tokens per step, whatever the reply's length.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TextDelta } from '../../../../src/inference/runtimes/textDelta';
import { mulberry32 } from '../../../../tools/mulberry32';

const MODELS = resolve(import.meta.dirname, '../../../../../shared/models/transformers');
const HAVE_TOKENIZER = existsSync(resolve(MODELS, 'tiny-random-llama-fp16/tokenizer.json'));
const SUITE = HAVE_TOKENIZER
  ? 'TextDelta with a real tokenizer'
  : `TextDelta with a real tokenizer — SKIPPED: ${MODELS}/tiny-random-llama-fp16 is missing (see ../shared/models/README.md)`;

/** Multi-byte UTF-8 (2, 3 and 4 bytes) that the tokenizer spells as byte tokens. */
const TEXTS = [
  'Once upon a time, there was a little girl named Lily.',
  'héllo wörld — ça va? naïve café',
  'A smile 🙂 and a cat 🐈 in 日本語 and Ελληνικά, then ok.',
  '  two spaces, a tab\tand\nnew lines\n\n',
];

describe.skipIf(!HAVE_TOKENIZER)(SUITE, () => {
  let tokenizer: PreTrainedTokenizer;
  const decode = (ids: number[]) => tokenizer.decode(ids, { skip_special_tokens: true });

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${MODELS}/`;
    tokenizer = await AutoTokenizer.from_pretrained('tiny-random-llama-fp16');
  });

  /** Streams `ids` in pieces of `step` tokens after the prompt's last token. */
  function stream(anchor: number | null, ids: number[], step: number, counted?: number[]) {
    const delta = new TextDelta((window) => {
      counted?.push(window.length);
      return decode(window);
    }, anchor);
    const parts: string[] = [];
    for (let i = 0; i < ids.length; i += step) parts.push(delta.push(ids.slice(i, i + step)));
    return { parts, delta };
  }

  it.each(TEXTS)('the deltas of %j add up to the full decode', (text) => {
    const prompt = tokenizer.encode('Tell me:', { add_special_tokens: true });
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const anchor = prompt[prompt.length - 1] ?? null;
    for (const step of [1, 2, 3]) {
      const { parts, delta } = stream(anchor, ids, step);
      const full = decode([anchor as number, ...ids]).slice(decode([anchor as number]).length);
      expect(parts.join('')).toBe(full);
      expect(delta.text()).toBe(full);
      // No piece of a multi-byte character ever reaches the screen.
      for (const part of parts) expect(part).not.toContain('\uFFFD');
    }
  });

  it('keeps the first word’s space after the anchor and drops it without one', () => {
    // SentencePiece spells the leading space itself: '▁upon'.
    const ids = tokenizer.encode('upon a time', { add_special_tokens: false });
    const anchor = tokenizer.encode('Once', { add_special_tokens: false })[0] ?? 0;
    expect(stream(anchor, ids, 1).parts.join('')).toBe(' upon a time');
    expect(stream(null, ids, 1).parts.join('')).toBe(decode(ids));
  });

  it('adds up to the full decode for random token ids (seed 7)', () => {
    const random = mulberry32(7);
    const vocab = 32000; // tiny-random-llama's vocabulary (shared/models/README.md)
    // Byte tokens (ids 3..258) often, so characters split across tokens are common.
    const ids = Array.from({ length: 400 }, () =>
      random() < 0.3 ? 3 + Math.floor(random() * 256) : Math.floor(random() * vocab),
    ).filter((id) => id > 2);
    const { parts } = stream(null, ids, 1);
    const full = decode(ids);
    // A trailing unfinished character waits for bytes that never came.
    expect(full.startsWith(parts.join(''))).toBe(true);
    expect(full.slice(parts.join('').length)).toMatch(/^\uFFFD*$/);
  });

  it('decodes a bounded window per token, not the whole reply', () => {
    const story = TEXTS.join(' ').repeat(8);
    const ids = tokenizer.encode(story, { add_special_tokens: false });
    const counted: number[] = [];
    const { parts } = stream(1, ids, 1, counted);
    expect(ids.length).toBe(616);
    expect(parts.join('')).toBe(decode([1, ...ids]));
    // Two decodes per step; each window holds the last shown token(s) plus
    // the pending bytes of one character (at most 4) and the new token.
    expect(counted.length).toBe(2 * ids.length);
    expect(Math.max(...counted)).toBeLessThanOrEqual(8);
    expect(counted.reduce((a, b) => a + b, 0)).toBeLessThan(10 * ids.length);
  });
});
