// SHA-256 of a whole file when the manifest gives no chunk hashes (a Hugging
// Face LFS hash). A digest must see bytes in order, but chunks arrive out of
// order over several connections: chunks are fed as they become next in line,
// from the connection's buffer when it is, else read back from the store. So
// memory stays at one chunk, and a resumed download rehashes what is on disk.

import { createSHA256, type IHasher } from 'hash-wasm';
import type { ChunkPlan } from '../core/chunkPlan';
import type { StoredFileWriter } from '../storage/modelStore';

export class WholeFileHasher {
  private next = 0;
  private readonly done = new Set<number>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly hasher: IHasher,
    private readonly plan: ChunkPlan,
    private readonly writer: StoredFileWriter,
  ) {}

  static async create(plan: ChunkPlan, writer: StoredFileWriter, done: Iterable<number>) {
    const h = new WholeFileHasher((await createSHA256()).init(), plan, writer);
    for (const i of done) h.done.add(i);
    return h;
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
    if (this.next !== this.plan.chunks.length)
      throw new Error('whole-file hash before the last chunk');
    return this.hasher.digest('hex');
  }

  private async advance(index: number, bytes: Uint8Array | null): Promise<void> {
    for (;;) {
      const chunk = this.plan.chunks[this.next];
      if (!chunk || !this.done.has(chunk.index)) return;
      const data =
        chunk.index === index && bytes ? bytes : await this.writer.read(chunk.offset, chunk.length);
      this.hasher.update(data.subarray(0, chunk.length));
      this.next++;
    }
  }
}
