// Judges a server's answer to one Range request before any byte is trusted:
// a matching 206, a 200 with the whole body (Range ignored), a malformed reply
// worth retrying, or a status that ends the attempt. Pure, for the engine.

import { AppError, type ErrorDetails } from './errors';
import { parseContentRange } from './range';

export interface RangeRequest {
  /** First byte wanted. */
  start: number;
  /** Last byte wanted (inclusive). */
  end: number;
  /** The file's size according to the manifest. */
  fileSize: number;
}

export interface RangeReply {
  status: number;
  contentRange: string | null;
  contentLength: string | null;
}

export type RangeVerdict =
  /** The body holds exactly the bytes asked for. */
  | { kind: 'partial' }
  /** The body is the whole file: skip `skip` bytes to reach the range. */
  | { kind: 'whole'; skip: number }
  /** Malformed or inconsistent; another attempt may do better. */
  | { kind: 'retry'; reason: string; details?: ErrorDetails; message?: string }
  /** A status to retry after a pause (5xx, 429, 408). */
  | { kind: 'retry-status'; status: number }
  | { kind: 'not-found' }
  /** The resource no longer has the size we expect (416, 412). */
  | { kind: 'changed'; reason: string }
  /** A status no retry will fix (most 4xx). */
  | { kind: 'fatal'; status: number };

export function judgeRangeResponse(req: RangeRequest, reply: RangeReply): RangeVerdict {
  const { status } = reply;
  const length = req.end - req.start + 1;
  const declared = reply.contentLength === null ? null : Number(reply.contentLength);
  if (status === 206) {
    const range = parseContentRange(reply.contentRange);
    if (!range || range.start === null) return { kind: 'retry', reason: 'missing Content-Range' };
    if (range.start !== req.start || range.end !== req.end) {
      return { kind: 'retry', reason: `Content-Range ${reply.contentRange} does not match` };
    }
    if (range.size !== null && range.size !== req.fileSize) {
      return { kind: 'changed', reason: `size ${range.size}, expected ${req.fileSize}` };
    }
    if (declared !== null && declared !== length) {
      return { kind: 'retry', reason: `Content-Length ${declared}, expected ${length}` };
    }
    return { kind: 'partial' };
  }
  if (status === 200) {
    if (declared !== null && declared !== req.fileSize) {
      return {
        kind: 'retry',
        reason: 'range-ignored-wrong-size',
        details: { expected: req.fileSize, actual: declared },
        message:
          `The model server ignored the byte range and sent a file of ${declared} bytes ` +
          `instead of the expected ${req.fileSize}. Retrying.`,
      };
    }
    return { kind: 'whole', skip: req.start };
  }
  if (status === 404 || status === 410) return { kind: 'not-found' };
  if (status === 416 || status === 412) return { kind: 'changed', reason: `status ${status}` };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry-status', status };
  return { kind: 'fatal', status };
}

/** What a verdict that rejects the reply means to the user: a typed error, and whether a retry may help. */
export function rangeVerdictError(
  verdict: RangeVerdict,
  where: ErrorDetails,
  status: number,
): { error: AppError; retryable: boolean } | null {
  switch (verdict.kind) {
    case 'partial':
    case 'whole':
      return null;
    case 'not-found':
      return { error: new AppError('not-found', where), retryable: false };
    case 'fatal':
      return { error: new AppError('http-status', { ...where, status }), retryable: false };
    case 'retry-status':
      return { error: new AppError('http-status', { ...where, status }), retryable: true };
    case 'changed':
      return {
        error: new AppError('server-changed', { ...where, reason: verdict.reason }),
        retryable: true,
      };
    case 'retry': {
      // Not an error status: the reply's headers do not match what was asked.
      const message =
        verdict.message ??
        `The model server's reply to a byte-range request did not match it (${verdict.reason}). Retrying.`;
      const details = { ...where, status, reason: verdict.reason, ...verdict.details };
      return { error: new AppError('http-status', details, message), retryable: true };
    }
  }
}
