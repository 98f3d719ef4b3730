// Turns a growing list of generated token ids into text deltas for streaming.
// Decoding each token alone loses leading spaces and splits multi-byte
// characters; re-decoding the whole reply per token is quadratic. So each step
// decodes only a short window: the tokens shown last step plus the new ones.

export type Decode = (ids: number[]) => string;

export class TextDelta {
  /** The anchor (if any) followed by every generated token. */
  private readonly ids: number[] = [];
  /** Where the window starts: the first token of the text shown last step. */
  private windowStart = 0;
  /** Tokens before this index have been shown. */
  private shownEnd = 0;
  private readonly generatedStart: number;

  /** `anchor` is the last prompt token; it keeps the first word's space. */
  constructor(
    private readonly decode: Decode,
    anchor: number | null,
  ) {
    if (anchor !== null) this.ids.push(anchor);
    this.shownEnd = this.ids.length;
    this.generatedStart = this.ids.length;
  }

  /** Adds tokens and returns the new text that is safe to show, possibly ''. */
  push(tokens: number[]): string {
    for (const id of tokens) this.ids.push(id);
    // Decoding from the window's start in both calls gives the tokenizer the
    // same left context, so a leading space or a merge decodes the same way.
    const shown = this.decodeSome(this.ids.slice(this.windowStart, this.shownEnd));
    const text = this.decodeSome(this.ids.slice(this.windowStart));
    // A byte-fallback character still missing bytes decodes as U+FFFD: wait for them.
    if (text.endsWith('\uFFFD') || text.length <= shown.length) return '';
    this.windowStart = this.shownEnd;
    this.shownEnd = this.ids.length;
    // A decoder that rewrites what it already showed cannot be followed by a
    // delta; the window moves on anyway and the final result carries the reply.
    return text.startsWith(shown) ? text.slice(shown.length) : '';
  }

  /** The whole reply so far (one full decode: call it once, at the end). */
  text(): string {
    const generated = this.ids.slice(this.generatedStart);
    if (this.generatedStart === 0) return this.decodeSome(generated);
    const prefix = this.decodeSome(this.ids.slice(0, this.generatedStart));
    const full = this.decodeSome(this.ids);
    return full.startsWith(prefix) ? full.slice(prefix.length) : this.decodeSome(generated);
  }

  /** transformers.js refuses to decode no tokens; no tokens are no text. */
  private decodeSome(ids: number[]): string {
    return ids.length > 0 ? this.decode(ids) : '';
  }
}
