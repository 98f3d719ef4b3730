// Fetches one chunk with a single Range request. The reply is judged before a
// byte is trusted (src/core/rangeResponse.ts), the body is read into the
// connection's chunk buffer (never past the chunk's end, whatever the host
// sends) and written to the store as it arrives, and a watch ends a body that
// stalls or trickles. Every way a server, network or store can misbehave
// becomes a `ChunkFailure` saying whether a retry may help.

import type { PlannedChunk } from '../core/chunkPlan';
import { ifRangeValue, sameVersion, type Validator, validatorFrom } from '../core/downloadJournal';
import { AppError } from '../core/errors';
import { formatRangeHeader } from '../core/range';
import { judgeRangeResponse, rangeVerdictError } from '../core/rangeResponse';
import { parseRetryAfter } from '../core/retrySchedule';
import { sha256Hex } from '../core/sha256';
import { storageError } from '../core/storageError';
import type { StoredFileWriter } from '../storage/modelStore';
import { BodyWatch, type BodyWatchSettings } from './bodyWatch';
import { type ByteSource, type ChunkBuffer, openSource } from './byteSource';

export type { ChunkBuffer } from './byteSource';

export class ChunkFailure extends Error {
  constructor(
    readonly error: AppError,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(error.message);
  }
}

export interface ChunkFetchRequest {
  url: string;
  path: string;
  chunk: PlannedChunk;
  fileSize: number;
  /** The file version the journal holds, sent as If-Range; null before the first byte. */
  validator: Validator | null;
  /**
   * Send a plain Range, never If-Range (a Hub file: its storage host, reached by a
   * cross-origin redirect, may refuse the preflight If-Range needs). The reply's own
   * validator is then checked against `validator` before a byte is written.
   */
  plainRange?: boolean;
  /** The URL redirects to a signed storage URL: a refusal there is an expired URL, resolved again. */
  redirected?: boolean;
  /** A Hub access token, sent as a bearer `Authorization` header (a gated repo). */
  token?: string;
  writer: StoredFileWriter;
  /**
   * The connection's chunk buffer, which receives the body, reused from one
   * fetch to the next (replaced as BYOB reads hand its memory back; allocated
   * when too short or detached by an aborted read).
   */
  buffer: ChunkBuffer;
  watch: BodyWatchSettings;
  signal: AbortSignal;
  /** Returns false once this fetch is stale (its file was reset): stop writing at once. */
  current(): boolean;
  onBytes(n: number): void;
}

export interface ReceivedChunk {
  /** The reply's validator (ETag / Last-Modified). */
  seen: Validator | null;
  /** SHA-256 (hex) of the bytes received, when the chunk has a hash to check. */
  sha256: Promise<string> | null;
  /**
   * The chunk's bytes for a writer that does not stream (they stay in the
   * connection's buffer until committed); null for a streaming writer, whose
   * bytes are in the store already.
   */
  bytes: Uint8Array | null;
}

/** Fetches the chunk; resolves once all its bytes have arrived (and were written, when streaming). */
export async function fetchChunk(req: ChunkFetchRequest): Promise<ReceivedChunk> {
  const { chunk, url, path } = req;
  const start = chunk.offset;
  const end = chunk.offset + chunk.length - 1;
  const controller = new AbortController();
  const abort = () => controller.abort();
  req.signal.addEventListener('abort', abort);
  const headers: Record<string, string> = { Range: formatRangeHeader(start, end) };
  const ifRange = ifRangeValue(req.validator);
  if (ifRange && !req.plainRange) headers['If-Range'] = ifRange;
  if (req.token) headers.Authorization = `Bearer ${req.token}`;
  const where = { url, path, offset: start, length: chunk.length };
  try {
    let response: Response;
    // A server that never answers is a stall too.
    const headersTimer = setTimeout(() => controller.abort(), req.watch.stallTimeoutMs);
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
    // fetch() follows the redirect and hides it: only `redirected` tells the Hub's own
    // answer (401/403: gated, a typed auth error) from the storage host's (a signed
    // URL that expired: the next attempt resolves the file again and gets a fresh one).
    if (req.redirected && (response.status === 401 || response.status === 403)) {
      if (response.redirected) {
        const reason = 'signed storage URL refused (expired); resolving again';
        throw fail(new AppError('network', { ...where, status: response.status, reason }), true);
      }
      throw fail(new AppError('auth-required', { ...where, status: response.status }), false);
    }
    const rejected = rangeVerdictError(verdict, where, response.status);
    if (rejected) {
      const retryAfterMs =
        verdict.kind === 'retry-status'
          ? parseRetryAfter(response.headers.get('retry-after'), Date.now())
          : null;
      throw fail(rejected.error, rejected.retryable, retryAfterMs);
    }
    // With If-Range, a changed file comes back whole (200) under its new validator.
    if (!sameVersion(req.validator, seen)) {
      throw fail(new AppError('server-changed', { ...where, was: req.validator, now: seen }), true);
    }
    if (!response.body) throw fail(new AppError('network', { ...where, reason: 'no body' }), true);
    const source = openSource(response.body, req.buffer);
    const skip = verdict.kind === 'whole' ? verdict.skip : 0;
    // Only a 206 holds nothing but the chunk: it must end where it promised.
    const mustEnd = verdict.kind === 'partial';
    const watch = new BodyWatch(req.watch, where, () => controller.abort());
    try {
      await readChunk(req, source, watch, skip, mustEnd);
    } finally {
      watch.stop();
      // Whatever remains (a whole body we only needed part of) is not downloaded.
      source.cancel();
    }
    const bytes = req.buffer.bytes.subarray(0, chunk.length);
    return {
      seen,
      // Started now: the digest copies the bytes before the buffer takes the next chunk.
      sha256: chunk.sha256 ? sha256Hex(bytes) : null,
      bytes: req.writer.streams ? null : bytes,
    };
  } finally {
    req.signal.removeEventListener('abort', abort);
  }
}

async function readChunk(
  req: ChunkFetchRequest,
  source: ByteSource,
  watch: BodyWatch,
  skip: number,
  mustEnd: boolean,
): Promise<void> {
  const { chunk, writer } = req;
  const where = { url: req.url, path: req.path, offset: chunk.offset, length: chunk.length };
  // A read aborted earlier (a stall, a pause) may have left the buffer detached.
  if (req.buffer.bytes.byteLength < chunk.length) req.buffer.bytes = new Uint8Array(chunk.length);
  const failed = (error: unknown) =>
    watch.tripped
      ? new ChunkFailure(watch.tripped, true)
      : (aborted(req) ?? new ChunkFailure(AppError.from(error, 'network', where), true));
  let toSkip = skip;
  let filled = 0;
  while (filled < chunk.length) {
    const buffer = req.buffer.bytes;
    // Bytes before the chunk (a 200 with the whole file) pass through the buffer and are dropped.
    // The view never reaches past the chunk's end: extra bytes have nowhere to go.
    const view =
      toSkip > 0
        ? buffer.subarray(0, Math.min(toSkip, buffer.byteLength))
        : buffer.subarray(filled, chunk.length);
    let got: Uint8Array | null;
    try {
      got = await source.read(view);
    } catch (error) {
      throw failed(error);
    }
    if (!got) {
      throw new ChunkFailure(
        new AppError('network', { ...where, reason: 'truncated', received: filled }),
        true,
      );
    }
    watch.received(got.byteLength);
    if (watch.tripped) throw new ChunkFailure(watch.tripped, true);
    if (toSkip > 0) {
      toSkip -= got.byteLength;
      continue;
    }
    if (!req.current()) throw aborted(req) ?? staleFailure(where);
    if (writer.streams) {
      const written = write(writer, got, chunk.offset + filled, where);
      if (written) await written;
    }
    filled += got.byteLength;
    req.onBytes(got.byteLength);
  }
  if (!mustEnd) return;
  let ended: boolean;
  try {
    ended = await source.atEnd();
  } catch (error) {
    throw failed(error);
  }
  if (!ended) {
    // A host that sends more than its Content-Range promised is not trusted with this chunk.
    const message =
      'The model server sent more bytes than the byte range it promised; the extra bytes were dropped. Retrying.';
    throw new ChunkFailure(
      new AppError('network', { ...where, reason: 'overlong-body' }, message),
      true,
    );
  }
}

/** Writes at an offset; synchronous for sync access handles, so no promise per piece then. */
function write(
  writer: StoredFileWriter,
  bytes: Uint8Array,
  offset: number,
  where: Record<string, unknown>,
): Promise<void> | undefined {
  // A storage failure is no network failure: a full disk ends the download, others too.
  const failure = (error: unknown) => new ChunkFailure(storageError(error, where), false);
  try {
    const written = writer.write(bytes, offset);
    return written?.catch((error: unknown) => {
      throw failure(error);
    });
  } catch (error) {
    throw failure(error);
  }
}

/** The engine's own abort (pause, cancel, a failure elsewhere), passed through as is. */
function aborted(req: ChunkFetchRequest): Error | null {
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
