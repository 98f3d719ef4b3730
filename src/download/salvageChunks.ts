// On resume, keeps chunks whose bytes were all written before an interruption
// but not yet journaled (a worker killed or a tab closed between a chunk's last
// byte and its journal entry): their stored bytes are hashed and, when they
// match the manifest, committed and handed to `keep` (which journals them)
// instead of fetched again.

import { sha256Hex } from '../core/sha256';
import type { FileState } from './chunkScheduler';

/**
 * Only streaming writers write bytes before they are verified, and only chunk
 * hashes can vouch for a chunk alone; other files are left as they are.
 */
export async function salvageChunks(
  state: FileState,
  keep: (index: number) => Promise<void>,
): Promise<void> {
  if (!state.writer.streams || state.plan.verification !== 'chunks') return;
  const done = new Set(state.journal.done);
  const missing = state.plan.chunks.filter((c) => !done.has(c.index) && c.sha256);
  if (missing.length === 0) return;
  const buffer = new Uint8Array(Math.max(...missing.map((c) => c.length)));
  for (const chunk of missing) {
    const bytes = buffer.subarray(0, chunk.length);
    // Past the end of what was written: nothing more to find.
    if ((await state.writer.readInto(bytes, chunk.offset)) !== chunk.length) break;
    if ((await sha256Hex(bytes)) !== chunk.sha256) continue;
    await state.writer.commitChunk(chunk.offset, bytes);
    await keep(chunk.index);
  }
}
