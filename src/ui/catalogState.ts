// The catalog as the Models screen shows it: each model with its manifest's
// absolute URL, whether it came from the offline copy, and why it failed.

import { signal } from '@preact/signals';
import type { CatalogEntry } from '../core/catalog';
import { AppError } from '../core/errors';
import { loadCatalog } from './catalogSource';

export interface ModelRow extends CatalogEntry {
  manifestUrl: string;
}

export const catalog = signal<ModelRow[]>([]);
export const catalogError = signal<AppError | null>(null);
export const catalogOffline = signal(false);

export async function refreshCatalog(): Promise<void> {
  try {
    const { catalog: data, baseUrl, offline } = await loadCatalog();
    catalog.value = data.models.map((m) => ({
      ...m,
      manifestUrl: new URL(m.manifest, baseUrl).href,
    }));
    catalogOffline.value = offline;
    catalogError.value = null;
  } catch (error) {
    catalogError.value = AppError.from(error, 'internal');
  }
}

/** The catalog model whose manifest is at `url`, if any. */
export function modelIdOf(url: string): string | null {
  return catalog.value.find((m) => m.manifestUrl === url)?.id ?? null;
}
