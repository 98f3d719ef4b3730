import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planChunks } from '../../../src/core/chunkPlan';
import { type IncrementalHash, openIncrementalHash } from '../../../src/download/incrementalHash';
import { WholeFileHasher } from '../../../src/download/wholeFileHasher';
import type { StoredFileWriter } from '../../../src/storage/modelStore';

const SIZE = 10 * 1000 + 7;
const CHUNK = 1000;
const file = Uint8Array.from({ length: SIZE }, (_, i) => (i * 31 + 7) % 251);
const expected = createHash('sha256').update(file).digest('hex');
const plan = planChunks(
  { size: SIZE, chunks: [] },
  { chunkSize: CHUNK, verification: 'whole-file' },
);

/** A store holding the whole file, counting what is read back from it. */
function storeWithFile() {
  const reads: number[] = [];
  const writer = {
    async read(offset: number, length: number) {
      reads.push(offset);
      return file.slice(offset, offset + length);
    },
  } as unknown as StoredFileWriter;
  return { writer, reads };
}

/**
 * Keeps what it is handed and hashes it only at the end, as a worker that is
 * behind would: bytes the caller changed after handing them over would show.
 */
async function recordingHash(): Promise<{ hash: IncrementalHash; updates: Uint8Array[] }> {
  const inner = await openIncrementalHash(); // no Worker in Node: inline hash-wasm
  const updates: Uint8Array[] = [];
  return {
    updates,
    hash: {
      update: async (bytes) => void updates.push(bytes),
      digest: async () => {
        for (const bytes of updates) await inner.update(bytes);
        return inner.digest();
      },
      close: () => inner.close(),
    },
  };
}

describe('WholeFileHasher', () => {
  it('hashes chunks committed out of order as the file, in order', async () => {
    const { writer, reads } = storeWithFile();
    const { hash, updates } = await recordingHash();
    const hasher = await WholeFileHasher.create(plan, writer, [], async () => hash);
    const order = [3, 0, 1, 7, 2, 5, 4, 10, 6, 9, 8];
    // A non-streaming backend hands each chunk's bytes over in a reused buffer.
    const buffer = new Uint8Array(CHUNK);
    for (const index of order) {
      const chunk = plan.chunks[index];
      if (!chunk) throw new Error(`no chunk ${index}`);
      buffer.set(file.subarray(chunk.offset, chunk.offset + chunk.length));
      await hasher.add(index, buffer.subarray(0, chunk.length));
      buffer.fill(0); // the caller reuses its buffer at once
    }
    expect(await hasher.digest()).toBe(expected);
    expect(updates.map((u) => u.byteLength).reduce((a, b) => a + b, 0)).toBe(SIZE);
    // Chunks that were not next in line when committed are read back from the store.
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThan(order.length);
  });

  it('on resume, rehashes what is already stored before new chunks', async () => {
    const { writer } = storeWithFile();
    const { hash } = await recordingHash();
    const hasher = await WholeFileHasher.create(plan, writer, [0, 1, 2, 3, 4], async () => hash);
    for (const index of [5, 6, 7, 8, 9, 10]) await hasher.add(index, null);
    expect(await hasher.digest()).toBe(expected);
  });

  it('refuses a digest before the last chunk', async () => {
    const { writer } = storeWithFile();
    const hasher = await WholeFileHasher.create(plan, writer, [0, 1]);
    await expect(hasher.digest()).rejects.toThrow(/before the last chunk/);
    hasher.close();
  });
});

describe('openIncrementalHash', () => {
  it('hashes inline when no worker can be started', async () => {
    const hash = await openIncrementalHash(() => {
      throw new Error('no workers here');
    });
    await hash.update(file.slice(0, 5000));
    await hash.update(file.slice(5000));
    expect(await hash.digest()).toBe(expected);
  });
});
