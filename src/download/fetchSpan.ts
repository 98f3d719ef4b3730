// Fetches one span of consecutive chunks with a single Range request and
// streams its body into the store as it arrives; each chunk is handed over
// (verified, committed, journaled by the caller) as soon as its last byte has
// passed, while the next one keeps streaming. Every way a server or network
// can misbehave becomes a `ChunkFailure` saying whether a retry may help.

import type { ChunkSpan, PlannedChunk } from '../core/chunkPlan';
import { ifRangeValue, sameVersion, type Validator, validatorFrom } from '../core/downloadJournal';
import { AppError } from '../core/errors';
import { formatRangeHeader } from '../core/range';
import { judgeRangeResponse } from '../core/rangeResponse';
import { parseRetryAfter } from '../core/retrySchedule';
import { isQuotaError, type StoredFileWriter } from '../storage/modelStore';

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
   * Receives each chunk's bytes when the writer does not stream (at least the
   * largest chunk long); unused when it streams (the chunk is read back from the store).
   */
  buffer: Uint8Array;
  stallTimeoutMs: number;
  signal: AbortSignal;
  /** Returns false once this fetch is stale (its file was reset): stop writing at once. */
  current(): boolean;
  onBytes(n: number): void;
  /**
   * Called once per chunk when all its bytes are written (streaming writers)
   * or in `buffer`. At most one call is pending: the next chunk keeps
   * streaming meanwhile, but is handed over only after the previous one settled.
   */
  onChunk(chunk: PlannedChunk, seen: Validator | null): Promise<void>;
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
    await streamBody(req, response.body.getReader(), skip, controller, seen);
  } finally {
    req.signal.removeEventListener('abort', abort);
  }
}

async function streamBody(
  req: SpanFetchRequest,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  skip: number,
  controller: AbortController,
  seen: Validator | null,
): Promise<void> {
  const { span, writer, buffer } = req;
  const where = { url: req.url, path: req.path, offset: span.offset, length: span.length };
  const stall = new StallWatch(req.stallTimeoutMs, () => controller.abort());
  let toSkip = skip;
  let filled = 0; // bytes of the span received
  let index = 0; // the chunk being received, within the span
  let chunkFilled = 0;
  // The chunk handed over and not yet settled; its failure stops this fetch.
  let pending: Promise<void> = Promise.resolve();
  const failed: { error?: unknown } = {};
  const handOver = (chunk: PlannedChunk) => {
    const previous = pending;
    pending = previous.then(() => req.onChunk(chunk, seen));
    pending.catch((error: unknown) => {
      if (!('error' in failed)) failed.error = error;
    });
  };
  try {
    while (filled < span.length) {
      if ('error' in failed) throw failed.error;
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (stall.fired) throw stalled(where, req.stallTimeoutMs);
        throw aborted(req) ?? new ChunkFailure(AppError.from(error, 'network', where), true);
      }
      stall.progress();
      if (result.done) {
        throw new ChunkFailure(
          new AppError('network', { ...where, reason: 'truncated', received: filled }),
          true,
        );
      }
      let piece = result.value;
      if (toSkip > 0) {
        const n = Math.min(toSkip, piece.byteLength);
        toSkip -= n;
        piece = piece.subarray(n);
      }
      // A piece may end one chunk and begin the next.
      while (piece.byteLength > 0 && filled < span.length) {
        const chunk = span.chunks[index] as PlannedChunk;
        const part = piece.subarray(0, Math.min(piece.byteLength, chunk.length - chunkFilled));
        if (!req.current()) throw aborted(req) ?? staleFailure(where);
        if (writer.streams) {
          const written = write(writer, part, chunk.offset + chunkFilled, where);
          if (written) await written;
        } else {
          buffer.set(part, chunkFilled);
        }
        chunkFilled += part.byteLength;
        filled += part.byteLength;
        piece = piece.subarray(part.byteLength);
        req.onBytes(part.byteLength);
        if (chunkFilled === chunk.length) {
          handOver(chunk);
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
      }
    }
    await pending;
  } finally {
    stall.stop();
    // Whatever remains (a whole body we only needed part of) is not downloaded.
    void reader.cancel().catch(() => {});
    // A chunk being verified or journaled finishes first: a pause keeps it.
    await pending.catch(() => {});
  }
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
