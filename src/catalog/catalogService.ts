// The catalog service the UI asks for the model list: reads `config.json`
// (beside the app) for the model host, fetches and validates its
// `catalog.json`, and keeps the last good one in IndexedDB for offline visits;
// and fetches a listed model's manifest, so the UI never fetches one itself.

import { JSON_LIMITS, readBoundedJson } from '../core/boundedJson';
import { type Catalog, parseCatalog } from '../core/catalog';
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
}

export interface LoadCatalogOptions {
  /** Where the app's config is, relative to the page (default `config.json`). */
  configUrl?: string;
}

/**
 * The catalog from the model host; when the host cannot be reached, the last
 * one seen. A catalog the host serves but that is invalid is an
 * `invalid-catalog` error (the cached one is kept for the next visit, not
 * shown as if it were current).
 */
export async function loadCatalog(options: LoadCatalogOptions = {}): Promise<LoadedCatalog> {
  let url: string;
  let json: unknown;
  try {
    url = await catalogUrl(options.configUrl ?? 'config.json');
    json = await fetchBoundedJson(url, JSON_LIMITS.catalog, 'invalid-catalog', 'no-store');
  } catch (error) {
    const reason = AppError.from(error, 'network');
    if (reason.code === 'invalid-catalog') throw reason;
    const cached = await readCachedCatalog().catch(() => undefined);
    if (!cached) throw reason;
    const catalog = parseCatalog(cached.catalog, { url: cached.url });
    return { catalog, baseUrl: new URL('./', cached.url).href, offline: true };
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

/** `catalog.json` on the model host that `config.json` names. */
async function catalogUrl(configUrl: string): Promise<string> {
  const url = new URL(configUrl, location.href).href;
  // The service worker answers config.json network-first, from its cache offline.
  const response = await fetch(url);
  if (!response.ok) throw new AppError('http-status', { url, status: response.status });
  const config = (await readBoundedJson(response, {
    limit: JSON_LIMITS.config,
    code: 'invalid-catalog',
    details: { url, what: 'config' },
  }).catch(() => null)) as { modelHost?: unknown } | null;
  if (typeof config?.modelHost !== 'string') {
    throw new AppError('invalid-catalog', { url, problems: ['config.json names no modelHost'] });
  }
  return new URL('catalog.json', new URL(config.modelHost, location.href)).href;
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
