// Judging a reply to a Range request: trust only a matching 206, or a 200 to skip into.

import { describe, expect, it } from 'vitest';
import { defaultMessage } from '../../../src/core/errors';
import {
  judgeRangeResponse,
  type RangeVerdict,
  rangeVerdictError,
} from '../../../src/core/rangeResponse';

const req = { start: 100, end: 199, fileSize: 1000 };

describe('judgeRangeResponse', () => {
  const cases: Array<[string, number, string | null, string | null, RangeVerdict['kind']]> = [
    ['accepts a matching 206', 206, 'bytes 100-199/1000', '100', 'partial'],
    ['accepts a 206 without Content-Length', 206, 'bytes 100-199/1000', null, 'partial'],
    ['accepts an unknown total size', 206, 'bytes 100-199/*', '100', 'partial'],
    ['retries a 206 without Content-Range', 206, null, '100', 'retry'],
    ['retries a 206 for other bytes', 206, 'bytes 0-99/1000', '100', 'retry'],
    ['retries a 206 with a shorter range', 206, 'bytes 100-150/1000', '51', 'retry'],
    ['retries a malformed Content-Range', 206, 'bytes 100-199', '100', 'retry'],
    ['retries a Content-Length mismatch', 206, 'bytes 100-199/1000', '99', 'retry'],
    ['sees a new total size as a changed file', 206, 'bytes 100-199/2000', '100', 'changed'],
    ['skips into a 200 whole body', 200, null, '1000', 'whole'],
    ['retries a 200 whose size is wrong', 200, null, '999', 'retry'],
    ['reports 404 as not found', 404, null, '0', 'not-found'],
    ['reports 410 as not found', 410, null, '0', 'not-found'],
    ['sees 416 as a changed file', 416, 'bytes */500', '0', 'changed'],
    ['sees 412 as a changed file', 412, null, '0', 'changed'],
    ['retries 500', 500, null, '0', 'retry-status'],
    ['retries 503', 503, null, '0', 'retry-status'],
    ['retries 429', 429, null, '0', 'retry-status'],
    ['retries 408', 408, null, '0', 'retry-status'],
    ['gives up on 403', 403, null, '0', 'fatal'],
    ['gives up on 401', 401, null, '0', 'fatal'],
  ];
  it.each(cases)('%s', (_name, status, contentRange, contentLength, kind) => {
    expect(judgeRangeResponse(req, { status, contentRange, contentLength }).kind).toBe(kind);
  });

  it('says how many bytes of a 200 body to skip', () => {
    expect(
      judgeRangeResponse(req, { status: 200, contentRange: null, contentLength: '1000' }),
    ).toEqual({ kind: 'whole', skip: 100 });
  });
});

describe('rangeVerdictError', () => {
  const where = { url: 'http://h/m/a.bin', path: 'a.bin', offset: 100, length: 100 };
  const errorFor = (status: number, contentRange: string | null, contentLength: string | null) =>
    rangeVerdictError(
      judgeRangeResponse(req, { status, contentRange, contentLength }),
      where,
      status,
    );

  const cases: Array<[string, number, string | null, string | null, string | null, boolean]> = [
    ['trusts a matching 206', 206, 'bytes 100-199/1000', '100', null, false],
    ['trusts a 200 of the right size', 200, null, '1000', null, false],
    ['retries a 200 of the wrong size', 200, null, '999', 'http-status', true],
    ['retries a 206 for other bytes', 206, 'bytes 0-99/1000', '100', 'http-status', true],
    ['retries 503', 503, null, '0', 'http-status', true],
    ['stops at 403', 403, null, '0', 'http-status', false],
    ['stops at 404 as not found', 404, null, '0', 'not-found', false],
    ['restarts on 416 as a changed file', 416, null, '0', 'server-changed', true],
  ];
  it.each(cases)('%s', (_name, status, range, length, code, retryable) => {
    const result = errorFor(status, range, length);
    if (code === null) return expect(result).toBeNull();
    expect(result?.error.code).toBe(code);
    expect(result?.retryable).toBe(retryable);
  });

  it('says a 200 of the wrong size ignored the range, not that the server answered with an error', () => {
    const result = errorFor(200, null, '999');
    expect(result?.error.details).toMatchObject({
      reason: 'range-ignored-wrong-size',
      expected: 1000,
      actual: 999,
      status: 200,
    });
    expect(result?.error.message).toMatch(/ignored the byte range/);
    expect(result?.error.message).toMatch(/999 bytes/);
    expect(result?.error.message).not.toBe(defaultMessage('http-status'));
  });
});
