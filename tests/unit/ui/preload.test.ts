// Which installed model preloading warms up: the chosen default, else the
// most recently used; never a damaged or non-chat model, never an unused one.

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
    expect(preloadCandidate(models, used, defaultModel)?.id ?? null).toBe(expected);
  });
});
