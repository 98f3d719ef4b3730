// Turns a growing list of generated token ids into text deltas for streaming.
// Decoding each token alone loses leading spaces and splits multi-byte
// characters; decoding the whole reply after an anchor token does neither.

export type Decode = (ids: number[]) => string;

export class TextDelta {
  private readonly ids: number[] = [];
  private emitted = '';

  /** `anchor` is the last prompt token; it keeps the first word's space. */
  constructor(
    private readonly decode: Decode,
    private readonly anchor: number | null,
  ) {}

  /** Adds tokens and returns the new text that is safe to show, possibly ''. */
  push(tokens: number[]): string {
    this.ids.push(...tokens);
    const text = this.text();
    // A byte-fallback character still missing bytes decodes as U+FFFD: wait for them.
    if (text.endsWith('\uFFFD')) return '';
    const delta = text.startsWith(this.emitted) ? text.slice(this.emitted.length) : '';
    this.emitted = text;
    return delta;
  }

  /** The whole reply so far. */
  text(): string {
    if (this.anchor === null) return this.decode(this.ids);
    const prefix = this.decode([this.anchor]);
    const full = this.decode([this.anchor, ...this.ids]);
    return full.startsWith(prefix) ? full.slice(prefix.length) : this.decode(this.ids);
  }
}
