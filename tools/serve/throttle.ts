// A model-server plugin that paces each response body to a fixed rate, to
// imitate a slow link when testing progress, pause/resume and cancellation.

import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerPlugin } from './modelServer';

/**
 * Limits every response body to `bytesPerSecond`, each response on its own
 * (two parallel downloads get the rate each). Put it last among the plugins so
 * it paces the bytes that actually leave.
 */
export function throttle(bytesPerSecond: number): ServerPlugin {
  if (!(bytesPerSecond > 0) || !Number.isFinite(bytesPerSecond)) {
    throw new RangeError(`throttle needs a positive rate, got ${bytesPerSecond}`);
  }
  return {
    name: `throttle(${bytesPerSecond})`,
    transformBody: (_ctx, body) => Readable.from(pace(body, bytesPerSecond), { objectMode: false }),
  };
}

async function* pace(body: AsyncIterable<Uint8Array>, rate: number): AsyncGenerator<Uint8Array> {
  // Slices of ~50 ms worth of bytes keep the flow smooth rather than bursty.
  const slice = Math.max(1, Math.floor(rate / 20));
  const started = performance.now();
  let sent = 0;
  for await (const chunk of body) {
    for (let i = 0; i < chunk.length; i += slice) {
      const part = chunk.subarray(i, i + slice);
      sent += part.length;
      // Each slice leaves no earlier than the rate allows for everything up to its end,
      // so the pace holds over the whole response, not just per chunk.
      const wait = started + (sent / rate) * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      yield part;
    }
  }
}
