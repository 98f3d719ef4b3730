// Which failed downloads resume by themselves when the network returns.

import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src/core/errors';
import { reconnectable } from '../../../src/core/reconnectable';

describe('reconnectable', () => {
  it.each<[ErrorCode, Record<string, unknown>, boolean]>([
    ['network', {}, true],
    ['http-status', { status: 503 }, true],
    ['http-status', { status: 502 }, true],
    ['http-status', { status: 429 }, true],
    ['http-status', { status: 408 }, true],
    ['http-status', { status: 404 }, false],
    ['http-status', { status: 403 }, false],
    ['http-status', {}, false],
    ['not-found', {}, false],
    ['validation-failed', {}, false],
    ['insufficient-storage', {}, false],
    ['cancelled', { reason: 'cancelled-by-user' }, false],
    ['server-changed', {}, false],
  ])('%s %j → %s', (code, details, expected) => {
    expect(reconnectable({ code, details })).toBe(expected);
  });
});
