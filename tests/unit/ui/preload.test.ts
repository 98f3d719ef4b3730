// Which installed model preloading warms up: the chosen default, else the one
// used most at this hour, else the most recently used; never a damaged or
// non-chat model, never an unused one.

import { describe, expect, it } from 'vitest';
import type { InstalledModel } from '../../../src/storage/db';
import { preloadCandidate } from '../../../src/ui/preload';

const model = (id: string, extra: Partial<InstalledModel> = {}, task = 'text-generation') =>
  ({
    key: `${id}@1.0.0`,
    id,
    version: '1.0.0',
    manifest: { task },
    ...extra,
  }) as unknown as InstalledModel;

/** 24 hourly counts with `uses` at `hour`. */
const counts = (hour: number, uses: number) =>
  Array.from({ length: 24 }, (_, h) => (h === hour ? uses : 0));

const a = model('a');
const b = model('b');
const damaged = model('d', { damage: { files: ['x'] } as unknown as InstalledModel['damage'] });
const vision = model('v', {}, 'image-classification');

describe('preloadCandidate', () => {
  it.each<[string, InstalledModel[], Record<string, number>, string | null, string | null]>([
    ['nothing installed', [], {}, null, null],
    ['installed but never used', [a, b], {}, null, null],
    ['the most recently used', [a, b], { 'a@1.0.0': 1, 'b@1.0.0': 2 }, null, 'b'],
    ['the default model wins over the last used', [a, b], { 'b@1.0.0': 2 }, 'a@1.0.0', 'a'],
    ['a default that is not installed falls back', [a, b], { 'b@1.0.0': 2 }, 'z@1.0.0', 'b'],
    ['never a damaged model', [damaged, a], { 'd@1.0.0': 9, 'a@1.0.0': 1 }, null, 'a'],
    ['never a damaged default', [damaged], {}, 'd@1.0.0', null],
    ['never a model the chat cannot use', [vision], { 'v@1.0.0': 5 }, null, null],
  ])('%s', (_name, models, used, defaultModel, expected) => {
    expect(preloadCandidate(models, { lastUsed: used, hourly: {} }, defaultModel)?.id ?? null).toBe(
      expected,
    );
  });

  it.each<[string, number, string | null, string]>([
    ['in the morning: the model used in the mornings, though another was used last', 8, null, 'a'],
    ['in the evening: the model used in the evenings', 20, null, 'b'],
    ['at an hour with no use: the last used', 14, null, 'b'],
    ['the default model still wins', 8, 'b@1.0.0', 'b'],
  ])('%s', (_name, hour, defaultModel, expected) => {
    const hourly = { 'a@1.0.0': counts(8, 4), 'b@1.0.0': counts(20, 4) };
    const usage = { lastUsed: { 'a@1.0.0': 1, 'b@1.0.0': 2 }, hourly };
    expect(preloadCandidate([a, b], usage, defaultModel, hour)?.id).toBe(expected);
  });
});
