// Shared by the stored-model specs: opens the storage harness page and calls
// its methods with plain-data arguments; reads the model server's Range log.

import type { Page } from '@playwright/test';
import type { ModelServer } from '../../tools/serve/modelServer';
import type { StorageHarness } from './pages/storage';

export async function openStorageHarness(page: Page, harnessUrl: string): Promise<void> {
  await page.goto(`${harnessUrl}storage.html`);
  await page.waitForFunction(() => 'harness' in window);
}

type Fn = (...args: never[]) => unknown;
type Method = {
  [K in keyof StorageHarness]: StorageHarness[K] extends Fn ? K : never;
}[keyof StorageHarness];

export function callStorage<K extends Method>(
  page: Page,
  name: K,
  ...args: Parameters<StorageHarness[K]>
): Promise<Awaited<ReturnType<StorageHarness[K]>>> {
  return page.evaluate(
    ({ name, args }) => {
      const h = (window as unknown as { harness: Record<string, (...a: unknown[]) => unknown> })
        .harness;
      return h[name]?.(...args);
    },
    { name, args: args as unknown[] },
  ) as Promise<Awaited<ReturnType<StorageHarness[K]>>>;
}

/** `path range` of every GET for a model file (the manifest excluded), sorted. */
export function fetchedRanges(server: ModelServer): string[] {
  return server.stats.log
    .filter((e) => e.method === 'GET' && !e.path.endsWith('manifest.json'))
    .map((e) => `${e.path.split('/').slice(3).join('/')} ${e.range ?? 'whole'}`)
    .sort();
}
