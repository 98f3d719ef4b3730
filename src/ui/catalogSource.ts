// Where the catalog comes from: `config.json` (beside the app) names the model
// host, whose `catalog.json` lists the models. The last catalog seen is kept
// so the models screen still lists them offline.

import { JSON_LIMITS, readBoundedJson } from '../core/boundedJson';
import { type Catalog, parseCatalog } from '../core/catalog';

const STORAGE_KEY = 'runanywhere:last-catalog';

export interface LoadedCatalog {
  catalog: Catalog;
  /** Absolute URL the catalog's relative manifest paths resolve against. */
  baseUrl: string;
  offline: boolean;
}

export async function loadCatalog(): Promise<LoadedCatalog> {
  try {
    // Bounded reads: a host sending an endless body gets a typed error, not the tab's memory.
    const config = (await readBoundedJson(await fetch('config.json'), {
      limit: JSON_LIMITS.config,
      code: 'invalid-manifest',
      details: { what: 'config' },
    })) as { modelHost?: unknown };
    if (typeof config.modelHost !== 'string') throw new Error('config.json has no modelHost');
    const baseUrl = new URL(config.modelHost, location.href).href;
    const response = await fetch(new URL('catalog.json', baseUrl), { cache: 'no-store' });
    if (!response.ok) throw new Error(`catalog: HTTP ${response.status}`);
    const catalog = parseCatalog(
      await readBoundedJson(response, {
        limit: JSON_LIMITS.catalog,
        code: 'invalid-manifest',
        details: { what: 'catalog' },
      }),
    );
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ catalog, baseUrl }));
    return { catalog, baseUrl, offline: false };
  } catch (error) {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (!saved) throw error;
    const { catalog, baseUrl } = JSON.parse(saved) as { catalog: unknown; baseUrl: string };
    return { catalog: parseCatalog(catalog), baseUrl, offline: true };
  }
}
