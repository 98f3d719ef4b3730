import { describe, expect, it } from 'vitest';
import { type ChunkBuffer, openSource } from '../../../src/download/byteSource';

/** Bytes 0..n-1 (mod 256), delivered in pieces of the given sizes. */
function pieces(sizes: number[]): Uint8Array[] {
  let next = 0;
  return sizes.map((size) => Uint8Array.from({ length: size }, () => next++ % 256));
}

function byteStream(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const part = parts[i++];
      if (part) return controller.enqueue(part.slice());
      controller.close();
      // A pending BYOB read is answered with no bytes, as a fetch body does at its end.
      controller.byobRequest?.respond(0);
    },
  });
}

function defaultStream(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      const part = parts[i++];
      if (part) controller.enqueue(part.slice());
      else controller.close();
    },
  });
}

/** Reads the whole body through `openSource` in views of at most `viewSize` bytes. */
async function readAll(body: ReadableStream<Uint8Array>, viewSize: number) {
  const buffer: ChunkBuffer = { bytes: new Uint8Array(viewSize) };
  const source = openSource(body, buffer);
  const out: number[] = [];
  let reads = 0;
  for (;;) {
    const got = await source.read(buffer.bytes.subarray(0, viewSize));
    if (!got) break;
    reads++;
    expect(got.byteLength).toBeGreaterThan(0);
    expect(got.byteLength).toBeLessThanOrEqual(viewSize);
    // What was read is in the connection's buffer, where it was asked for.
    expect(got.buffer).toBe(buffer.bytes.buffer);
    expect(got.byteOffset).toBe(0);
    out.push(...got);
  }
  return { out, reads, buffer };
}

describe.each([
  ['a byte stream (BYOB reader)', byteStream],
  ['a default stream (pieces copied)', defaultStream],
])('openSource over %s', (_name, make) => {
  const sizes = [5, 300, 1, 64, 1000];
  const expected = pieces(sizes).flatMap((p) => [...p]);

  it('delivers every byte in order into the caller’s buffer, in views no longer than asked', async () => {
    const { out, reads } = await readAll(make(pieces(sizes)), 128);
    expect(out).toEqual(expected);
    expect(reads).toBeGreaterThanOrEqual(Math.ceil(expected.length / 128));
  });

  it('leaves a usable buffer of the same size after the end of the body', async () => {
    const { buffer } = await readAll(make(pieces(sizes)), 128);
    expect(buffer.bytes.byteLength).toBe(128);
    buffer.bytes[127] = 7; // would throw or be lost on a detached buffer
    expect(buffer.bytes[127]).toBe(7);
  });

  it('returns null for an empty body', async () => {
    const buffer: ChunkBuffer = { bytes: new Uint8Array(16) };
    expect(await openSource(make([]), buffer).read(buffer.bytes)).toBeNull();
  });
});
