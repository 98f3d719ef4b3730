import { describe, expect, it } from 'vitest';
import { sessionMemoryOptions } from '../../../../src/inference/runtimes/sessionMemoryOptions';

describe('sessionMemoryOptions', () => {
  it.each([
    ['q8', { extra: { session: { disable_prepacking: '1' } } }],
    ['q4', {}],
    ['fp32', {}],
    ['fp16', {}],
    [undefined, {}],
  ])('%s → %j', (dtype, expected) => {
    expect(sessionMemoryOptions(dtype)).toEqual(expected);
  });
});
