// Shared by the stored-model specs: opens the storage harness page and calls
// its methods with plain-data arguments; reads the model server's Range log.

import type { Page } from '@playwright/test';
import type { ModelServer } from '../../tools/serve/modelServer';
import { callHarness, type HarnessMethod, openHarnessPage } from './harnessPage';
import type { StorageHarness } from './pages/storage';

export function openStorageHarness(page: Page, harnessUrl: string): Promise<void> {
  return openHarnessPage(page, harnessUrl, 'storage');
}

/** Calls one method of the storage harness page. */
export function callStorage<K extends HarnessMethod<StorageHarness>>(
  page: Page,
  name: K,
  ...args: Parameters<StorageHarness[K]>
): Promise<Awaited<ReturnType<StorageHarness[K]>>> {
  return callHarness(page, name, args) as Promise<Awaited<ReturnType<StorageHarness[K]>>>;
}

/** `path range` of every GET for a model file (the manifest excluded), sorted. */
export function fetchedRanges(server: ModelServer): string[] {
  return server.stats.log
    .filter((e) => e.method === 'GET' && !e.path.endsWith('manifest.json'))
    .map((e) => `${e.path.split('/').slice(3).join('/')} ${e.range ?? 'whole'}`)
    .sort();
}
