// The git blob id of a stored file: SHA-1 of `blob <size>\0<bytes>`, which the
// Hub's listing gives for every file not in LFS (config, tokenizer…). Those are
// small, so the file is read back whole in pieces after its last chunk landed.

import { createSHA1 } from 'hash-wasm';

/** What git hashes before a blob's bytes. */
export function gitBlobHeader(size: number): Uint8Array {
  return new TextEncoder().encode(`blob ${size}\0`);
}

const PIECE = 4 * 1024 * 1024;

/** Hex git blob id of `size` bytes read through `read(offset, length)`. */
export async function gitBlobSha1(
  size: number,
  read: (offset: number, length: number) => Promise<Uint8Array | null>,
): Promise<string | null> {
  const hasher = (await createSHA1()).init();
  hasher.update(gitBlobHeader(size));
  for (let offset = 0; offset < size; offset += PIECE) {
    const bytes = await read(offset, Math.min(PIECE, size - offset));
    if (!bytes) return null;
    hasher.update(bytes);
  }
  return hasher.digest('hex');
}
