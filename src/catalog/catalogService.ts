// The catalog service the UI asks for the model list: reads `config.json`
// (beside the app) for the model sources, merges the model host's
// `catalog.json` (kept in IndexedDB for offline visits) with the app's bundled
// catalog of Hub models (when a Hub endpoint is configured), and fetches a
// listed model's manifest, so the UI never fetches one itself.

import { type AppConfig, parseAppConfig } from '../core/appConfig';
import { JSON_LIMITS, readBoundedJson } from '../core/boundedJson';
import { type Catalog, isHubEntry, parseCatalog } from '../core/catalog';
import { AppError } from '../core/errors';
import { type ModelManifest, parseManifest } from '../core/manifest';
import { readCachedCatalog, writeCachedCatalog } from '../storage/catalogCache';

/** Where the catalog used to be kept; removed once it is in IndexedDB. */
const LEGACY_STORAGE_KEY = 'runanywhere:last-catalog';

export interface LoadedCatalog {
  catalog: Catalog;
  /** Absolute URL the catalog's relative manifest paths resolve against. */
  baseUrl: string;
  /** True when the network failed and this is the catalog of an earlier visit. */
  offline: boolean;
  /** The Hub endpoint Hub entries resolve against; null when the config names none. */
  hubEndpoint: string | null;
}

export interface LoadCatalogOptions {
  /** Where the app's config is, relative to the page (default `config.json`). */
  configUrl?: string;
  /** The app's bundled catalog, relative to the page (default `catalog.json`). */
  bundledUrl?: string;
}

/**
 * Every source the config names, merged: the model host's catalog first (the
 * demo model), then the bundled Hub models whose ids it does not already use.
 * The bundled catalog is part of the app (precached), so it is there offline.
 */
export async function loadCatalog(options: LoadCatalogOptions = {}): Promise<LoadedCatalog> {
  let config: AppConfig;
  try {
    config = await readConfig(options.configUrl ?? 'config.json');
  } catch (error) {
    const reason = AppError.from(error, 'network');
    if (reason.code === 'invalid-catalog') throw reason;
    // No config at all (offline on a first visit without the service worker):
    // the host catalog of an earlier visit is better than nothing.
    return { ...(await cachedHostCatalog(reason)), hubEndpoint: null };
  }
  const host: HostCatalog | null = config.modelHost
    ? await loadHostCatalog(new URL('catalog.json', config.modelHost).href)
    : null;
  if (!config.hubEndpoint) {
    if (!host) throw new AppError('invalid-catalog', { problems: ['config names no source'] });
    return { ...host, hubEndpoint: null };
  }
  const bundled = await loadBundledCatalog(options.bundledUrl ?? 'catalog.json');
  const taken = new Set(host?.catalog.models.map((m) => m.id));
  const models = [
    ...(host?.catalog.models ?? []),
    ...bundled.models.filter((m) => !taken.has(m.id)),
  ];
  return {
    catalog: { schema: bundled.schema, models },
    baseUrl: host?.baseUrl ?? new URL('./', location.href).href,
    offline: host?.offline ?? false,
    hubEndpoint: config.hubEndpoint,
  };
}

/** The app's own catalog of Hub models; a manifest entry there would have no host to resolve against. */
async function loadBundledCatalog(path: string): Promise<Catalog> {
  const url = new URL(path, location.href).href;
  const catalog = parseCatalog(
    await fetchBoundedJson(url, JSON_LIMITS.catalog, 'invalid-catalog', 'default'),
    { url },
  );
  const strays = catalog.models.filter((m) => !isHubEntry(m)).map((m) => m.id);
  if (strays.length > 0) {
    throw new AppError('invalid-catalog', {
      url,
      problems: [`the bundled catalog lists Hub models only, not ${strays.join(', ')}`],
    });
  }
  return catalog;
}

type HostCatalog = Omit<LoadedCatalog, 'hubEndpoint'>;

async function cachedHostCatalog(reason: AppError): Promise<HostCatalog> {
  const cached = await readCachedCatalog().catch(() => undefined);
  if (!cached) throw reason;
  const catalog = parseCatalog(cached.catalog, { url: cached.url });
  return { catalog, baseUrl: new URL('./', cached.url).href, offline: true };
}

/**
 * The catalog from the model host at `url`; when the host cannot be reached,
 * the last one seen. A catalog the host serves but that is invalid is an
 * `invalid-catalog` error (the cached one is kept for the next visit, not
 * shown as if it were current).
 */
async function loadHostCatalog(url: string): Promise<HostCatalog> {
  let json: unknown;
  try {
    json = await fetchBoundedJson(url, JSON_LIMITS.catalog, 'invalid-catalog', 'no-store');
  } catch (error) {
    const reason = AppError.from(error, 'network');
    if (reason.code === 'invalid-catalog') throw reason;
    return cachedHostCatalog(reason);
  }
  const catalog = parseCatalog(json, { url });
  try {
    await writeCachedCatalog(catalog, url);
    localStorage.removeItem(LEGACY_STORAGE_KEY);
  } catch (error) {
    // Storage full or blocked: this visit has its catalog; only the offline copy is missing.
    console.warn('The catalog could not be kept for offline use:', error);
  }
  return { catalog, baseUrl: new URL('./', url).href, offline: false };
}

/** The model sources that `config.json` names (src/core/appConfig.ts). */
async function readConfig(configUrl: string): Promise<AppConfig> {
  const url = new URL(configUrl, location.href).href;
  // The service worker answers config.json network-first, from its cache offline.
  const response = await fetch(url);
  if (!response.ok) throw new AppError('http-status', { url, status: response.status });
  const json = await readBoundedJson(response, {
    limit: JSON_LIMITS.config,
    code: 'invalid-catalog',
    details: { url, what: 'config' },
  });
  return parseAppConfig(json, location.href);
}

/**
 * The manifest a catalog entry points at (`manifestUrl`, already confined to
 * the catalog's folder), validated against its URL: the planner reads its
 * variants before anything is downloaded.
 */
export async function fetchManifestOf(manifestUrl: string): Promise<ModelManifest> {
  // Versioned paths: the HTTP cache may answer.
  const json = await fetchBoundedJson(
    manifestUrl,
    JSON_LIMITS.manifest,
    'invalid-manifest',
    'default',
  );
  return parseManifest(json, { url: manifestUrl });
}

/** A document's JSON, read with its byte cap (an endless body is cut there, src/core/boundedJson.ts). */
async function fetchBoundedJson(
  url: string,
  limit: number,
  code: 'invalid-catalog' | 'invalid-manifest',
  cache: RequestCache,
): Promise<unknown> {
  const response = await fetch(url, { cache });
  if (response.status === 404 || response.status === 410) throw new AppError('not-found', { url });
  if (!response.ok) throw new AppError('http-status', { url, status: response.status });
  return readBoundedJson(response, { limit, code, details: { url } });
}
