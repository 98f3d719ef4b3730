// llama2.c tokenizer (tok*.bin): reader plus run.c-exact encode (dummy prefix, UTF-8
// chars, byte fallback, highest-score pair merging) and decode.
import { readFileSync } from 'node:fs';

export const UNK_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

export interface Llama2cVocab {
  /** Pieces as UTF-8 text; a space stands for SentencePiece's `▁`. */
  pieces: string[];
  scores: Float32Array;
  maxTokenLength: number;
}

/** Parses tok*.bin: int32 max_token_length, then per token float32 score, int32 len, bytes. */
export function parseLlama2cTokenizer(bytes: Uint8Array): Llama2cVocab {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const maxTokenLength = view.getInt32(0, true);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces: string[] = [];
  const scores: number[] = [];
  let offset = 4;
  while (offset < bytes.length) {
    if (offset + 8 > bytes.length) throw new Error('llama2.c tokenizer: truncated entry');
    scores.push(view.getFloat32(offset, true));
    const len = view.getInt32(offset + 4, true);
    if (len < 0 || offset + 8 + len > bytes.length)
      throw new Error('llama2.c tokenizer: bad length');
    pieces.push(decoder.decode(bytes.subarray(offset + 8, offset + 8 + len)));
    offset += 8 + len;
  }
  return { pieces, scores: Float32Array.from(scores), maxTokenLength };
}

export function readLlama2cTokenizer(path: string): Llama2cVocab {
  return parseLlama2cTokenizer(readFileSync(path));
}

/** The byte value of a `<0xNN>` byte-fallback piece, or undefined. */
export function byteOfPiece(piece: string): number | undefined {
  const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
  return m ? Number.parseInt(m[1] as string, 16) : undefined;
}

const utf8 = new TextEncoder();
/** One JS char per byte, so string concatenation equals byte concatenation (as in C). */
const toBinary = (s: string): string => String.fromCharCode(...utf8.encode(s));

export class Llama2cTokenizer {
  readonly vocab: Llama2cVocab;
  private readonly binaryPieces: string[];
  private readonly lookup = new Map<string, number>();
  private readonly byteIds: number[] = [];

  constructor(vocab: Llama2cVocab) {
    this.vocab = vocab;
    this.binaryPieces = vocab.pieces.map(toBinary);
    // First occurrence wins for duplicate pieces.
    this.binaryPieces.forEach((p, id) => {
      if (!this.lookup.has(p)) this.lookup.set(p, id);
    });
    vocab.pieces.forEach((p, id) => {
      const b = byteOfPiece(p);
      if (b !== undefined) this.byteIds[b] = id;
    });
  }

  get vocabSize(): number {
    return this.vocab.pieces.length;
  }

  /** run.c `encode`: optional BOS/EOS, dummy-prefix space, then greedy merging. */
  encode(text: string, opts: { bos?: boolean; eos?: boolean } = {}): number[] {
    const bytes = utf8.encode(text);
    const tokens: number[] = [];
    if (opts.bos ?? true) tokens.push(BOS_ID);
    if (bytes.length > 0) tokens.push(this.idOf(' '));
    // Split into UTF-8 characters (at most 4 bytes each, exactly like run.c).
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const next = bytes[i + 1];
      const len = i - start + 1;
      if (next !== undefined && (next & 0xc0) === 0x80 && len < 4) continue;
      const char = String.fromCharCode(...bytes.subarray(start, i + 1));
      const id = this.lookup.get(char);
      if (id !== undefined) tokens.push(id);
      else for (const b of bytes.subarray(start, i + 1)) tokens.push(this.byteToken(b));
      start = i + 1;
    }
    this.mergePairs(tokens);
    if (opts.eos) tokens.push(EOS_ID);
    return tokens;
  }

  private idOf(piece: string): number {
    const id = this.lookup.get(toBinary(piece));
    if (id === undefined) throw new Error(`llama2.c tokenizer: no piece ${JSON.stringify(piece)}`);
    return id;
  }

  private byteToken(b: number): number {
    // run.c uses byte + 3 (ids 3..258 are <0x00>..<0xFF>); use the real ids when known.
    return this.byteIds[b] ?? b + 3;
  }

  /** Repeatedly merges the leftmost adjacent pair whose concatenation scores highest. */
  private mergePairs(tokens: number[]): void {
    const { scores } = this.vocab;
    for (;;) {
      let bestScore = -1e10;
      let bestId = -1;
      let bestIdx = -1;
      for (let i = 0; i < tokens.length - 1; i++) {
        const left = this.binaryPieces[tokens[i] as number] as string;
        const merged = left + (this.binaryPieces[tokens[i + 1] as number] as string);
        const id = this.lookup.get(merged);
        if (id !== undefined && (scores[id] as number) > bestScore) {
          bestScore = scores[id] as number;
          bestId = id;
          bestIdx = i;
        }
      }
      if (bestIdx === -1) return;
      tokens.splice(bestIdx, 2, bestId);
    }
  }

  /** run.c `decode`: bytes of one token given the previous one (strips a space after BOS). */
  decodePiece(prevToken: number, token: number): Uint8Array {
    const piece = this.vocab.pieces[token];
    if (piece === undefined) throw new Error(`llama2.c tokenizer: token ${token} out of range`);
    const byte = byteOfPiece(piece);
    if (byte !== undefined) return Uint8Array.of(byte);
    const text = prevToken === BOS_ID && piece.startsWith(' ') ? piece.slice(1) : piece;
    return utf8.encode(text);
  }

  /**
   * Decodes ids to text (UTF-8 over the concatenated bytes), skipping <unk>/<s>/</s>.
   * `prevToken` is the token before ids[0] (e.g. the last prompt token), if any.
   */
  decode(ids: readonly number[], prevToken = -1): string {
    const parts: Uint8Array[] = [];
    let prev = prevToken;
    for (const id of ids) {
      if (id !== UNK_ID && id !== BOS_ID && id !== EOS_ID) parts.push(this.decodePiece(prev, id));
      prev = id;
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return new TextDecoder().decode(out);
  }
}
