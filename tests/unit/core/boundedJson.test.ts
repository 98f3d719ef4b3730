// Bounded JSON reads: a body past its cap is cancelled and a typed error, whatever the host declares.

import { describe, expect, it } from 'vitest';
import { JSON_LIMITS, readBoundedBytes, readBoundedJson } from '../../../src/core/boundedJson';
import { AppError } from '../../../src/core/errors';

/** A body that never ends, counting what was pulled and whether it was cancelled. */
function endless(pieceSize: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += pieceSize;
      controller.enqueue(new Uint8Array(pieceSize).fill(0x20));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

function bodyOf(text: string): ReadableStream<Uint8Array> {
  return new Response(text).body as ReadableStream<Uint8Array>;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!AppError.is(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('readBoundedBytes', () => {
  it('reads a body under the cap whole', async () => {
    const bytes = await readBoundedBytes(bodyOf('{"a":1}'), '7', {
      limit: 100,
      code: 'invalid-manifest',
    });
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
  });

  it('reads a body of exactly the cap', async () => {
    const bytes = await readBoundedBytes(bodyOf('x'.repeat(100)), null, {
      limit: 100,
      code: 'invalid-manifest',
    });
    expect(bytes.byteLength).toBe(100);
  });

  it('cancels an endless body just past the cap with a typed error', async () => {
    const { stream, seen } = endless(4096);
    const error = await rejection(
      readBoundedBytes(stream, null, {
        limit: 64 * 1024,
        code: 'invalid-manifest',
        details: { url: 'u', what: 'manifest' },
      }),
    );
    expect(error.code).toBe('invalid-manifest');
    expect(error.details).toMatchObject({ url: 'u', what: 'manifest', reason: 'too-large' });
    expect(seen.cancelled).toBe(true);
    // The stream may have queued one piece ahead of the reader, no more.
    expect(seen.pulled).toBeLessThanOrEqual(64 * 1024 + 2 * 4096);
  });

  it('refuses a declared Content-Length past the cap before reading', async () => {
    const { stream, seen } = endless(4096);
    const error = await rejection(
      readBoundedBytes(stream, String(10 * 1024 * 1024), { limit: 1024, code: 'invalid-manifest' }),
    );
    expect(error.details).toMatchObject({ reason: 'too-large', declared: 10 * 1024 * 1024 });
    expect(seen.cancelled).toBe(true);
  });

  it('uses the code it is given (the catalog may get its own)', async () => {
    const error = await rejection(
      readBoundedBytes(bodyOf('x'.repeat(20)), null, { limit: 10, code: 'http-status' }),
    );
    expect(error.code).toBe('http-status');
  });
});

describe('readBoundedJson', () => {
  it('parses JSON under the cap', async () => {
    const json = await readBoundedJson(new Response('{"id":"m"}'), {
      limit: JSON_LIMITS.manifest,
      code: 'invalid-manifest',
    });
    expect(json).toEqual({ id: 'm' });
  });

  it('says a body that is not JSON is not JSON', async () => {
    const error = await rejection(
      readBoundedJson(new Response('{"id":'), { limit: 100, code: 'invalid-manifest' }),
    );
    expect(error.code).toBe('invalid-manifest');
    expect(error.details.reason).toBe('not-json');
  });

  it('takes the manifest and catalog caps from their schema bounds', () => {
    expect(JSON_LIMITS).toMatchObject({ manifest: 16 * 1024 * 1024, catalog: 16 * 1024 * 1024 });
  });
});
