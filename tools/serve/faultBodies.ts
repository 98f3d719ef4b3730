// What the fault-injection plugin does to a response body: cut it (drop,
// stall, truncate) after a number of bytes, or flip one byte in it.

import { once } from 'node:events';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FaultTracker } from './faultTracker';
import type { Fault, ResponseContext } from './types';

type CutFault = Extract<Fault, { kind: 'drop' | 'stall' | 'truncate' }>;

/** Passes the first `at` bytes through, then acts: cut, pause or end the body. */
export function cutBody(
  ctx: ResponseContext,
  body: Readable,
  fault: CutFault,
  at: number,
  tracker: FaultTracker,
): Readable {
  const out: Readable = Readable.from(
    (async function* () {
      let sent = 0;
      let acted = false;
      // Returns whether to go on sending after the fault.
      const act = async (): Promise<boolean> => {
        acted = true;
        tracker.bytesSent = sent;
        tracker.settle('applied');
        // The client sees the status and headers even when the cut comes before any body byte.
        ctx.res.flushHeaders();
        if (fault.kind === 'stall') return pause(ctx, fault.ms);
        if (fault.kind === 'truncate') {
          // Ending the response leaves a keep-alive socket open: close it once the bytes are out.
          ctx.res.once('finish', () => ctx.req.socket.destroy());
          return false;
        }
        // Failing the body before the server has taken what was yielded would discard it.
        while (out.readableLength > 0 && !out.destroyed) await nextTurn();
        throw new Error(`injected drop after ${at} bytes`);
      };
      for await (const chunk of body as AsyncIterable<Buffer>) {
        let pos = 0;
        while (pos < chunk.length) {
          if (!acted && sent === at && !(await act())) return;
          const take = acted ? chunk.length - pos : Math.min(chunk.length - pos, at - sent);
          yield chunk.subarray(pos, pos + take);
          pos += take;
          sent += take;
          if (!acted) tracker.bytesSent = sent;
        }
      }
      if (!acted && sent === at) await act();
    })(),
    { objectMode: false },
  );
  return out;
}

/** Waits `ms` (Infinity: forever), or until the client goes away; true if it is still there. */
async function pause(ctx: ResponseContext, ms: number): Promise<boolean> {
  if (ctx.res.destroyed) return false;
  let timer: NodeJS.Timeout | undefined;
  const gone = once(ctx.res, 'close').then(
    () => false,
    () => false,
  );
  const waited =
    ms === Number.POSITIVE_INFINITY
      ? new Promise<boolean>(() => {})
      : new Promise<boolean>((done) => {
          timer = setTimeout(() => done(true), Math.max(0, ms));
        });
  try {
    return await Promise.race([gone, waited]);
  } finally {
    clearTimeout(timer);
  }
}

export async function* flipByte(
  body: AsyncIterable<Buffer>,
  at: number,
  tracker: FaultTracker,
): AsyncGenerator<Buffer> {
  let offset = 0;
  for await (const chunk of body) {
    if (at >= offset && at < offset + chunk.length) {
      const copy = Buffer.from(chunk);
      copy[at - offset] = (copy[at - offset] as number) ^ 0xff;
      // Applied once the server has taken the corrupted piece to send.
      yield copy;
      tracker.bytesSent = offset + chunk.length;
      tracker.settle('applied');
    } else {
      yield chunk;
      if (offset + chunk.length <= at) tracker.bytesSent = offset + chunk.length;
    }
    offset += chunk.length;
  }
}

/** `n` floored into [low, high]; not a number means `high`. */
export function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(Number.isFinite(n) ? Math.floor(n) : high, low), high);
}
