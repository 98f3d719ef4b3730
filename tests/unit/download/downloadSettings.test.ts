// Only what a user can set travels with a download (stored, broadcast); the
// engine's test knobs never do.

import { describe, expect, it } from 'vitest';
import { downloadSettingsFrom, engineOptionsFor } from '../../../src/download/downloadSettings';

describe('downloadSettingsFrom', () => {
  it.each([
    ['nothing', undefined, {}],
    ['null', null, {}],
    ['a string', 'connections=4', {}],
    ['connections', { connections: 6 }, { connections: 6 }],
    [
      'connections with test knobs',
      { connections: 2, backend: 'idb', stallTimeoutMs: 400, retry: { maxRetries: 1 } },
      { connections: 2 },
    ],
    [
      'only test knobs',
      { backend: 'idb', chunkSize: 65536, verification: 'whole-file', spanSize: 0 },
      {},
    ],
    ['zero connections', { connections: 0 }, {}],
    ['fractional connections', { connections: 1.5 }, {}],
    ['connections as text', { connections: '4' }, {}],
    [
      'the planned run',
      { plannedRun: { device: 'wasm', dtype: 'q4', extra: 1 } },
      { plannedRun: { device: 'wasm', dtype: 'q4' } },
    ],
    ['a planned run missing its dtype', { plannedRun: { device: 'wasm' } }, {}],
    ['a planned run of odd names', { plannedRun: { device: 'wasm', dtype: '../q4' } }, {}],
    ['a planned run that is text', { plannedRun: 'wasm/q4' }, {}],
  ])('keeps only user settings from %s', (_, value, expected) => {
    expect(downloadSettingsFrom(value)).toEqual(expected);
  });
});

describe('engineOptionsFor', () => {
  it.each([
    ['settings alone', { connections: 3 }, undefined, { connections: 3 }],
    [
      'knobs under settings',
      { connections: 3 },
      { connections: 8, stallTimeoutMs: 400 },
      { connections: 3, stallTimeoutMs: 400 },
    ],
    [
      'knobs when the user set nothing',
      {},
      { connections: 8, backend: 'idb' as const },
      { connections: 8, backend: 'idb' },
    ],
  ])('%s', (_, settings, knobs, expected) => {
    expect(engineOptionsFor(settings, knobs)).toEqual(expected);
  });
});
