// A response body read into caller-given views: with a BYOB reader where the
// body is a byte stream (as in Chromium), so the network bytes land in the
// connection's own buffer with no allocation per read (measured as the
// largest cost of reading a body, docs/benchmarks.md); elsewhere a default
// reader whose pieces are copied in (one memcpy more, same results).

export interface ChunkBuffer {
  bytes: Uint8Array;
}

export interface ByteSource {
  /** Fills the start of `view` with the next bytes (at least one); null at the end of the body. */
  read(view: Uint8Array): Promise<Uint8Array | null>;
  /**
   * True when the body has ended; false when it holds more bytes (which are
   * then dropped, never written anywhere): a reply longer than it promised.
   */
  atEnd(): Promise<boolean>;
  cancel(): void;
}

/**
 * `buffer` is the connection's buffer that views passed to `read` belong to:
 * a BYOB read takes its memory over and gives it back under a new
 * `ArrayBuffer`, which is put back into `buffer.bytes`.
 */
export function openSource(body: ReadableStream<Uint8Array>, buffer: ChunkBuffer): ByteSource {
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: fall back below.
  }
  if (byob) {
    const reader = byob;
    return {
      async read(view) {
        const { done, value } = await reader.read(view as Uint8Array<ArrayBuffer>);
        // The read took the buffer's memory over; it comes back in `value`, also when done.
        if (value) buffer.bytes = new Uint8Array(value.buffer);
        return done || !value ? null : value;
      },
      async atEnd() {
        // A scratch byte of its own: the connection's buffer is not lent to this read.
        const { done, value } = await reader.read(new Uint8Array(1));
        return done || !value || value.byteLength === 0;
      },
      cancel: () => void reader.cancel().catch(() => {}),
    };
  }
  const reader = body.getReader();
  let rest: Uint8Array | null = null;
  const next = async (): Promise<boolean> => {
    while (!rest || rest.byteLength === 0) {
      const { done, value } = await reader.read();
      if (done) return false;
      rest = value;
    }
    return true;
  };
  return {
    async read(view) {
      if (!(await next()) || !rest) return null;
      const n = Math.min(rest.byteLength, view.byteLength);
      view.set(rest.subarray(0, n));
      rest = rest.subarray(n);
      return view.subarray(0, n);
    },
    async atEnd() {
      return !(await next());
    },
    cancel: () => void reader.cancel().catch(() => {}),
  };
}
