// Fetches one span of consecutive chunks with a single Range request. The body
// is read with a BYOB reader straight into the connection's chunk buffer (no
// allocation per network read: measured as the largest cost of reading a body
// in Chromium, docs/benchmarks.md), written to the store from there as it
// arrives, and each chunk is handed over (its SHA-256 already started,
// committed and journaled by the caller) as soon as its last byte has passed,
// while the next one keeps streaming. Every way a server or network can
// misbehave becomes a `ChunkFailure` saying whether a retry may help.

import type { ChunkSpan, PlannedChunk } from '../core/chunkPlan';
import { ifRangeValue, sameVersion, type Validator, validatorFrom } from '../core/downloadJournal';
import { AppError } from '../core/errors';
import { formatRangeHeader } from '../core/range';
import { judgeRangeResponse } from '../core/rangeResponse';
import { parseRetryAfter } from '../core/retrySchedule';
import { isQuotaError, type StoredFileWriter } from '../storage/modelStore';
import { sha256Hex } from './sha256';

export class ChunkFailure extends Error {
  constructor(
    readonly error: AppError,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(error.message);
  }
}

export interface SpanFetchRequest {
  url: string;
  path: string;
  span: ChunkSpan;
  fileSize: number;
  /** The file version the journal holds, sent as If-Range; null before the first byte. */
  validator: Validator | null;
  writer: StoredFileWriter;
  /**
   * The connection's chunk buffer, which receives the body, reused from one
   * fetch to the next. A BYOB read takes the memory over and gives it back
   * under a new `ArrayBuffer`, so the fetch replaces `bytes` as it reads (and
   * allocates it when it is too short, or detached by an aborted read).
   */
  buffer: ChunkBuffer;
  stallTimeoutMs: number;
  signal: AbortSignal;
  /** Returns false once this fetch is stale (its file was reset): stop writing at once. */
  current(): boolean;
  onBytes(n: number): void;
  /**
   * Called once per chunk when all its bytes have arrived. At most one call is
   * pending: the next chunk keeps streaming meanwhile (streaming writers), but
   * is handed over only after the previous one settled.
   */
  onChunk(chunk: PlannedChunk, seen: Validator | null, received: ReceivedChunk): Promise<void>;
}

export interface ChunkBuffer {
  bytes: Uint8Array;
}

export interface ReceivedChunk {
  /** SHA-256 (hex) of the bytes received, when the chunk has a hash to check. */
  sha256: Promise<string> | null;
  /**
   * The chunk's bytes, for a writer that does not stream (they stay in the
   * buffer until the call settles); null for a streaming writer, whose buffer
   * already receives the next chunk (its bytes are in the store).
   */
  bytes: Uint8Array | null;
}

/** Fetches the span, handing over each chunk; resolves when every chunk was handled. */
export async function fetchSpan(req: SpanFetchRequest): Promise<void> {
  const { span, url, path } = req;
  const start = span.offset;
  const end = span.offset + span.length - 1;
  const controller = new AbortController();
  const abort = () => controller.abort();
  req.signal.addEventListener('abort', abort);
  const headers: Record<string, string> = { Range: formatRangeHeader(start, end) };
  const ifRange = ifRangeValue(req.validator);
  if (ifRange) headers['If-Range'] = ifRange;
  const where = { url, path, offset: start, length: span.length };
  try {
    let response: Response;
    // A server that never answers is a stall too.
    const headersTimer = setTimeout(() => controller.abort(), req.stallTimeoutMs);
    try {
      response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (error) {
      throw aborted(req) ?? new ChunkFailure(AppError.from(error, 'network', where), true);
    } finally {
      clearTimeout(headersTimer);
    }
    const seen = validatorFrom(response.headers.get('etag'), response.headers.get('last-modified'));
    const verdict = judgeRangeResponse(
      { start, end, fileSize: req.fileSize },
      {
        status: response.status,
        contentRange: response.headers.get('content-range'),
        contentLength: response.headers.get('content-length'),
      },
    );
    const fail = (error: AppError, retryable: boolean, retryAfterMs: number | null = null) => {
      void response.body?.cancel().catch(() => {});
      return new ChunkFailure(error, retryable, retryAfterMs);
    };
    switch (verdict.kind) {
      case 'not-found':
        throw fail(new AppError('not-found', where), false);
      case 'fatal':
        throw fail(new AppError('http-status', { ...where, status: verdict.status }), false);
      case 'retry-status': {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        throw fail(
          new AppError('http-status', { ...where, status: verdict.status }),
          true,
          retryAfterMs,
        );
      }
      case 'retry':
        throw fail(
          new AppError('http-status', {
            ...where,
            status: response.status,
            reason: verdict.reason,
          }),
          true,
        );
      case 'changed':
        throw fail(new AppError('server-changed', { ...where, reason: verdict.reason }), true);
    }
    // With If-Range, a changed file comes back whole (200) under its new validator.
    if (!sameVersion(req.validator, seen)) {
      throw fail(new AppError('server-changed', { ...where, was: req.validator, now: seen }), true);
    }
    if (!response.body) throw fail(new AppError('network', { ...where, reason: 'no body' }), true);
    const skip = verdict.kind === 'whole' ? verdict.skip : 0;
    await streamBody(req, openSource(response.body, req.buffer), skip, controller, seen);
  } finally {
    req.signal.removeEventListener('abort', abort);
  }
}

async function streamBody(
  req: SpanFetchRequest,
  source: ByteSource,
  skip: number,
  controller: AbortController,
  seen: Validator | null,
): Promise<void> {
  const { span, writer } = req;
  const where = { url: req.url, path: req.path, offset: span.offset, length: span.length };
  // A read aborted earlier (a stall, a pause) may have left the buffer detached.
  const longest = Math.max(...span.chunks.map((c) => c.length));
  if (req.buffer.bytes.byteLength < longest) req.buffer.bytes = new Uint8Array(longest);
  const stall = new StallWatch(req.stallTimeoutMs, () => controller.abort());
  let toSkip = skip;
  let filled = 0; // bytes of the span received
  let index = 0; // the chunk being received, within the span
  let chunkFilled = 0;
  // The chunk handed over and not yet settled; its failure stops this fetch.
  let pending: Promise<void> = Promise.resolve();
  const failed: { error?: unknown } = {};
  const handOver = (chunk: PlannedChunk, received: ReceivedChunk) => {
    const previous = pending;
    pending = previous.then(() => req.onChunk(chunk, seen, received));
    pending.catch((error: unknown) => {
      if (!('error' in failed)) failed.error = error;
    });
  };
  try {
    while (filled < span.length) {
      if ('error' in failed) throw failed.error;
      const chunk = span.chunks[index] as PlannedChunk;
      const buffer = req.buffer.bytes;
      // Bytes before the span (a 200 with the whole file) pass through the buffer and are dropped.
      const view =
        toSkip > 0
          ? buffer.subarray(0, Math.min(toSkip, buffer.byteLength))
          : buffer.subarray(chunkFilled, chunk.length);
      let got: Uint8Array | null;
      try {
        got = await source.read(view);
      } catch (error) {
        if (stall.fired) throw stalled(where, req.stallTimeoutMs);
        throw aborted(req) ?? new ChunkFailure(AppError.from(error, 'network', where), true);
      }
      stall.progress();
      if (!got) {
        throw new ChunkFailure(
          new AppError('network', { ...where, reason: 'truncated', received: filled }),
          true,
        );
      }
      if (toSkip > 0) {
        toSkip -= got.byteLength;
        continue;
      }
      if (!req.current()) throw aborted(req) ?? staleFailure(where);
      if (writer.streams) {
        const written = write(writer, got, chunk.offset + chunkFilled, where);
        if (written) await written;
      }
      chunkFilled += got.byteLength;
      filled += got.byteLength;
      req.onBytes(got.byteLength);
      if (chunkFilled < chunk.length) continue;
      const bytes = req.buffer.bytes.subarray(0, chunk.length);
      // Started now: the digest copies the bytes before the buffer takes the next chunk.
      handOver(chunk, {
        sha256: chunk.sha256 ? sha256Hex(bytes) : null,
        bytes: writer.streams ? null : bytes,
      });
      index++;
      chunkFilled = 0;
      // Without streaming, the buffer holds this chunk until it is committed
      // (time spent committing is not the network stalling).
      if (!writer.streams) {
        stall.hold();
        await pending.catch(() => {});
        stall.release();
      }
    }
    await pending;
  } finally {
    stall.stop();
    // Whatever remains (a whole body we only needed part of) is not downloaded.
    source.cancel();
    // A chunk being verified or journaled finishes first: a pause keeps it.
    await pending.catch(() => {});
  }
}

/** A response body read into caller-given views. */
export interface ByteSource {
  /** Fills the start of `view` with the next bytes (at least one); null at the end of the body. */
  read(view: Uint8Array): Promise<Uint8Array | null>;
  cancel(): void;
}

/**
 * A BYOB reader where the body is a byte stream (as in Chromium): the network
 * bytes land in our buffer. Elsewhere a default reader whose pieces are copied
 * into it (one memcpy more, same results).
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
      cancel: () => void reader.cancel().catch(() => {}),
    };
  }
  const reader = body.getReader();
  let rest: Uint8Array | null = null;
  return {
    async read(view) {
      while (!rest || rest.byteLength === 0) {
        const { done, value } = await reader.read();
        if (done) return null;
        rest = value;
      }
      const n = Math.min(rest.byteLength, view.byteLength);
      view.set(rest.subarray(0, n));
      rest = rest.subarray(n);
      return view.subarray(0, n);
    },
    cancel: () => void reader.cancel().catch(() => {}),
  };
}

/** Writes at an offset; synchronous for sync access handles, so no promise per piece then. */
function write(
  writer: StoredFileWriter,
  bytes: Uint8Array,
  offset: number,
  where: Record<string, unknown>,
): Promise<void> | undefined {
  const quota = (error: unknown) => {
    if (!isQuotaError(error)) return error;
    return new ChunkFailure(
      new AppError('insufficient-storage', { ...where, cause: 'QuotaExceededError' }),
      false,
    );
  };
  try {
    const written = writer.write(bytes, offset);
    return written?.catch((error: unknown) => {
      throw quota(error);
    });
  } catch (error) {
    throw quota(error);
  }
}

/**
 * Aborts a response that sends nothing for `ms`. One timer per response that
 * re-arms itself lazily, rather than a timer and a race per network read.
 */
class StallWatch {
  fired = false;
  private last = performance.now();
  private held = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly onStall: () => void,
  ) {
    this.arm(ms);
  }

  progress(): void {
    this.last = performance.now();
  }

  /** Not counting time spent on our own work (committing a chunk) as a stall. */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.progress();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => {
      const idle = performance.now() - this.last;
      if (idle >= this.ms && !this.held) {
        this.fired = true;
        this.onStall();
      } else {
        this.arm(this.held ? this.ms : this.ms - idle);
      }
    }, delay);
  }
}

function stalled(where: Record<string, unknown>, ms: number): ChunkFailure {
  return new ChunkFailure(new AppError('network', { ...where, reason: 'stalled', ms }), true);
}

/** The engine's own abort (pause, cancel, a failure elsewhere), passed through as is. */
function aborted(req: SpanFetchRequest): Error | null {
  if (!req.signal.aborted) return null;
  const reason: unknown = req.signal.reason;
  return reason instanceof Error ? reason : new AppError('cancelled', {});
}

function staleFailure(where: Record<string, unknown>): ChunkFailure {
  return new ChunkFailure(
    new AppError('server-changed', { ...where, reason: 'file was reset' }),
    true,
  );
}
