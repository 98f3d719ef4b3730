// A model-server plugin that imitates one network link: all responses share a
// single rate, as parallel connections over one real line do. (`throttle`, by
// contrast, paces each response on its own.)

import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerPlugin } from './modelServer';

export function sharedLink(bytesPerSecond: number): ServerPlugin {
  if (!(bytesPerSecond > 0) || !Number.isFinite(bytesPerSecond)) {
    throw new RangeError(`sharedLink needs a positive rate, got ${bytesPerSecond}`);
  }
  // Slices of ~10 ms of the link each; the link is busy until `freeAt`.
  const slice = Math.max(1, Math.floor(bytesPerSecond / 100));
  let freeAt = 0;
  async function* send(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      for (let i = 0; i < chunk.length; i += slice) {
        const part = chunk.subarray(i, i + slice);
        const now = performance.now();
        // A slice goes out once the link has finished every slice booked before it.
        freeAt = Math.max(now, freeAt) + (part.length / bytesPerSecond) * 1000;
        const wait = freeAt - now;
        if (wait > 1) await sleep(wait);
        yield part;
      }
    }
  }
  return {
    name: `sharedLink(${bytesPerSecond})`,
    transformBody: (_ctx, body) => Readable.from(send(body), { objectMode: false }),
  };
}
