// SHA-256 of a whole file: the only check when the manifest gives no chunk
// hashes (a Hugging Face LFS hash), and a second one over the verified chunks
// when it does (so a manifest whose file hash disagrees with its chunk hashes
// never installs). A digest must see bytes in order, but chunks arrive out of
// order over several connections: chunks are fed as they become next in line,
// a copy of the connection's buffer when it is that chunk (backends that do not
// stream), else read back from the store. The hashing itself runs in a worker
// of its own (`incrementalHash.ts`), at most two chunks behind, so memory stays
// bounded and a resumed download rehashes what is on disk. The worker starts
// with the file's first chunk in line, so files waiting their turn hold none.

import type { ChunkPlan } from '../core/chunkPlan';
import type { StoredFileWriter } from '../storage/modelStore';
import { type IncrementalHash, openIncrementalHash } from './incrementalHash';

/** Chunks handed to the hash worker and not yet hashed, at most. */
const MAX_IN_FLIGHT = 2;

export class WholeFileHasher {
  private next = 0;
  private readonly done = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  private inFlight: Promise<void>[] = [];
  private hash: Promise<IncrementalHash> | null = null;
  private closed = false;

  private constructor(
    private readonly open: () => Promise<IncrementalHash>,
    private readonly plan: ChunkPlan,
    private readonly writer: StoredFileWriter,
  ) {}

  static async create(
    plan: ChunkPlan,
    writer: StoredFileWriter,
    done: Iterable<number>,
    open: () => Promise<IncrementalHash> = openIncrementalHash,
  ) {
    const h = new WholeFileHasher(open, plan, writer);
    for (const i of done) h.done.add(i);
    return h;
  }

  private opened(): Promise<IncrementalHash> {
    if (this.closed) return Promise.reject(new Error('whole-file hash used after close'));
    this.hash ??= this.open();
    return this.hash;
  }

  /** Records a committed chunk; hashes every chunk now in line. `bytes` is the chunk, if at hand. */
  add(index: number, bytes: Uint8Array | null): Promise<void> {
    this.done.add(index);
    // Serialised: the digest state is shared and reads from the store are async.
    const run = this.queue.then(() => this.advance(index, bytes));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Hashes whatever is in line (used on resume, and before the final digest). */
  catchUp(): Promise<void> {
    return this.add(-1, null);
  }

  /** Hex digest once every chunk has been hashed. */
  async digest(): Promise<string> {
    await this.catchUp();
    await Promise.all(this.inFlight);
    if (this.next !== this.plan.chunks.length)
      throw new Error('whole-file hash before the last chunk');
    return (await this.opened()).digest();
  }

  /** Ends the hash worker (the file is finished, reset or abandoned). */
  close(): void {
    this.closed = true;
    void this.hash?.then(
      (hash) => hash.close(),
      () => {},
    );
  }

  private async advance(index: number, bytes: Uint8Array | null): Promise<void> {
    for (;;) {
      const chunk = this.plan.chunks[this.next];
      if (!chunk || !this.done.has(chunk.index)) return;
      // Handed over (transferred), so a copy of a buffer the caller reuses.
      const data =
        chunk.index === index && bytes
          ? bytes.slice(0, chunk.length)
          : await this.writer.read(chunk.offset, chunk.length);
      const hashed = (await this.opened()).update(data);
      hashed.catch(() => {}); // awaited below or in digest(); a failure surfaces there
      this.inFlight.push(hashed);
      this.next++;
      if (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight.shift();
    }
  }
}
