// Hostile model hosts, as server plugins for tests: a JSON body that never
// ends, a body trickled one byte every few seconds, and a 206 that sends more
// bytes than its Content-Range promised. Each records when its responses
// started and when their connections closed.

import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseContext, ServerPlugin } from './types';

/** One response a hostile plugin took over. */
export interface HostileResponse {
  path: string;
  range: string | null;
  /** Date.now() when the headers were sent and when the connection closed (null while open). */
  startedAt: number;
  closedAt: number | null;
}

export interface HostilePlugin extends ServerPlugin {
  readonly responses: HostileResponse[];
}

/** Which responses a plugin takes over: a path suffix, an exact Range header, how many times. */
export interface HostileMatch {
  path: string;
  range?: string;
  /** How many matching responses to take over (default: all). */
  times?: number;
}

function hostile(
  name: string,
  match: HostileMatch,
  hooks: {
    status: number;
    onResponse?(ctx: ResponseContext): void | Promise<void>;
    body(ctx: ResponseContext, body: Readable): Readable;
  },
): HostilePlugin {
  const responses: HostileResponse[] = [];
  const taken = new WeakSet<ResponseContext['req']>();
  return {
    name,
    responses,
    async onResponse(ctx) {
      if (ctx.method !== 'GET' || ctx.status !== hooks.status || !ctx.path.endsWith(match.path))
        return;
      const range = (ctx.requestHeaders.range as string | undefined) ?? null;
      if (match.range !== undefined && range !== match.range) return;
      if (responses.length >= (match.times ?? Number.POSITIVE_INFINITY)) return;
      const record: HostileResponse = { path: ctx.path, range, startedAt: 0, closedAt: null };
      responses.push(record);
      taken.add(ctx.req);
      ctx.res.once('close', () => {
        record.closedAt = Date.now();
      });
      await hooks.onResponse?.(ctx);
      record.startedAt = Date.now();
    },
    transformBody(ctx, body) {
      return taken.has(ctx.req) ? hooks.body(ctx, body) : body;
    },
  };
}

/**
 * A 200 JSON body that never ends: the file's own bytes are replaced by `{"pad":[`
 * and then `0,` forever, without a Content-Length (chunked), as fast as the client reads.
 */
export function endlessJson(match: HostileMatch): HostilePlugin {
  const piece = Buffer.from('0,'.repeat(32 * 1024));
  return hostile('endless-json', match, {
    status: 200,
    onResponse(ctx) {
      delete ctx.responseHeaders['content-length'];
      ctx.responseHeaders['content-type'] = 'application/json';
    },
    body() {
      let started = false;
      return new Readable({
        read() {
          if (!started) {
            started = true;
            this.push(Buffer.from('{"pad":['));
          }
          this.push(piece);
        },
      });
    },
  });
}

/** The body as promised, but one byte every `everyMs`: never silent long, never fast. */
export function trickle(match: HostileMatch, everyMs: number): HostilePlugin {
  return hostile('trickle', match, {
    status: 206,
    body(_ctx, body) {
      return Readable.from(
        (async function* () {
          for await (const chunk of body) {
            for (const byte of chunk as Buffer) {
              await sleep(everyMs);
              yield Buffer.of(byte);
            }
          }
        })(),
      );
    },
  });
}

/**
 * A 206 whose body goes on past the range its Content-Range names: `extra`
 * bytes of 0xEE follow, sent chunked (no Content-Length, so the browser cannot
 * cut them off itself). `delayMs` holds the headers back, so that the next
 * chunk can be stored first and any byte written past this chunk would land on it.
 */
export function overlongRange(match: HostileMatch, extra: number, delayMs = 0): HostilePlugin {
  return hostile('overlong-range', match, {
    status: 206,
    async onResponse(ctx) {
      delete ctx.responseHeaders['content-length'];
      if (delayMs > 0) await sleep(delayMs);
    },
    body(_ctx, body) {
      return Readable.from(
        (async function* () {
          for await (const chunk of body) yield chunk as Buffer;
          yield Buffer.alloc(extra, 0xee);
        })(),
      );
    },
  });
}
