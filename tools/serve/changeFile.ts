// Rewrites a served file in place of a new version, as a publisher re-uploading
// it would: same size, every byte different, new ETag and Last-Modified.

import { createReadStream, createWriteStream } from 'node:fs';
import { realpath, rename, rm, stat, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const pending = new Map<string, Promise<void>>();

/**
 * Inverts every byte of the file (so a second change restores the original
 * bytes, with yet another validator) and moves its modification time at least
 * one second forward, so both ETag and Last-Modified change. The new version
 * is written beside the old and renamed over it, as a deploy would: responses
 * already streaming keep reading the old version, new ones get the new one.
 * Changes to the same file run one after another.
 */
export function changeFile(path: string): Promise<void> {
  const previous = pending.get(path) ?? Promise.resolve();
  const next = previous.then(() => invertFile(path));
  const settled = next.catch(() => {});
  pending.set(path, settled);
  void settled.then(() => {
    if (pending.get(path) === settled) pending.delete(path);
  });
  return next;
}

async function invertFile(path: string): Promise<void> {
  const real = await realpath(path);
  const before = await stat(real);
  const temp = join(dirname(real), `.${basename(real)}.changing-${process.pid}-${Date.now()}`);
  try {
    await pipeline(
      createReadStream(real, { highWaterMark: 1 << 20 }),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          const out = Buffer.allocUnsafe(chunk.length);
          for (let i = 0; i < chunk.length; i++) out[i] = (chunk[i] as number) ^ 0xff;
          done(null, out);
        },
      }),
      createWriteStream(temp, { mode: before.mode }),
    );
    // Whole seconds forward: Last-Modified has one-second resolution.
    const mtime = new Date(Math.max(Date.now(), Math.floor(before.mtimeMs / 1000) * 1000 + 1000));
    await utimes(temp, mtime, mtime);
    await rename(temp, real);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
