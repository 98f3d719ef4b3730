// Hashes bytes as they stream past and checks each manifest chunk (or the
// whole file, when the manifest lists no chunks) against its SHA-256.

import { createSHA256, type IHasher } from 'hash-wasm';
import { AppError } from '../core/errors';
import type { ManifestFile } from '../core/manifest';

export class ChunkVerifier {
  private hasher: IHasher | null = null;
  private chunkIndex = 0;
  /** Bytes consumed of the current chunk (or of the file, with no chunks). */
  private filled = 0;

  private constructor(private readonly file: ManifestFile) {}

  static async create(file: ManifestFile): Promise<ChunkVerifier> {
    const verifier = new ChunkVerifier(file);
    verifier.hasher = (await createSHA256()).init();
    return verifier;
  }

  /** Feeds the next bytes of the file, in order; throws on a bad chunk. */
  update(bytes: Uint8Array): void {
    const hasher = this.hasher as IHasher;
    const chunks = this.file.chunks;
    if (chunks.length === 0) {
      hasher.update(bytes);
      this.filled += bytes.byteLength;
      return;
    }
    let pos = 0;
    while (pos < bytes.byteLength) {
      const chunk = chunks[this.chunkIndex];
      if (!chunk) throw this.mismatch('file is longer than the manifest says', {});
      const take = Math.min(chunk.length - this.filled, bytes.byteLength - pos);
      hasher.update(bytes.subarray(pos, pos + take));
      pos += take;
      this.filled += take;
      if (this.filled === chunk.length) {
        const actual = hasher.digest('hex');
        if (actual !== chunk.sha256) {
          throw this.mismatch('chunk hash mismatch', {
            chunk: this.chunkIndex,
            offset: chunk.offset,
            expected: chunk.sha256,
            actual,
          });
        }
        hasher.init();
        this.chunkIndex++;
        this.filled = 0;
      }
    }
  }

  /** Call once the body has ended: checks that every byte arrived and matched. */
  finish(): void {
    const chunks = this.file.chunks;
    if (chunks.length > 0) {
      if (this.chunkIndex !== chunks.length) {
        throw this.mismatch('file is shorter than the manifest says', {
          verifiedChunks: this.chunkIndex,
          expectedChunks: chunks.length,
        });
      }
      return;
    }
    const actual = (this.hasher as IHasher).digest('hex');
    if (this.filled !== this.file.size || actual !== this.file.sha256) {
      throw this.mismatch('file hash mismatch', {
        expected: this.file.sha256,
        actual,
        expectedSize: this.file.size,
        actualSize: this.filled,
      });
    }
  }

  private mismatch(reason: string, details: Record<string, unknown>): AppError {
    return new AppError('validation-failed', { path: this.file.path, reason, ...details });
  }
}
