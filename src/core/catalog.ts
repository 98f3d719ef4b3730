// The model catalog: the list of models a server offers, one entry per model id
// at its latest version, each pointing at its manifest. `parseCatalog` checks
// untrusted JSON the same way `parseManifest` does.

import { AppError } from './errors';
import {
  FRAMEWORKS,
  type Framework,
  isModelId,
  isSafeRelativePath,
  type ModelManifest,
  manifestSize,
} from './manifest';
import { isSemver } from './semver';

export const CATALOG_SCHEMA = 1;

export interface CatalogEntry {
  id: string;
  name: string;
  version: string;
  framework: Framework;
  task: string;
  description: string;
  /** Total bytes of all the model's files. */
  size: number;
  /** Path of the manifest relative to the catalog's URL, e.g. `tiny/1.0.0/manifest.json`. */
  manifest: string;
}

export interface Catalog {
  schema: typeof CATALOG_SCHEMA;
  models: CatalogEntry[];
}

/** The catalog entry that describes `manifest`, found at `manifestPath`. */
export function catalogEntry(manifest: ModelManifest, manifestPath: string): CatalogEntry {
  const { id, name, version, framework, task, description } = manifest;
  return {
    id,
    name,
    version,
    framework,
    task,
    description,
    size: manifestSize(manifest),
    manifest: manifestPath,
  };
}

/** Validates untrusted JSON as a catalog; every problem is listed in `details.problems`. */
export function parseCatalog(json: unknown): Catalog {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  if (!isObject(json)) fail('catalog is not an object');
  const c: Record<string, unknown> = isObject(json) ? json : {};
  if (c.schema !== CATALOG_SCHEMA) fail(`schema must be ${CATALOG_SCHEMA}`);
  if (!Array.isArray(c.models)) fail('models must be an array');
  const raw: unknown[] = Array.isArray(c.models) ? c.models : [];

  const models: CatalogEntry[] = [];
  const ids = new Set<string>();
  for (const [i, entry] of raw.entries()) {
    const at = `models[${i}]`;
    if (!isObject(entry)) {
      fail(`${at} is not an object`);
      continue;
    }
    const before = problems.length;
    const e = entry;
    if (!isModelId(e.id)) fail(`${at}.id must be a lowercase slug`);
    else if (ids.has(e.id)) fail(`${at}.id is listed twice`);
    else ids.add(e.id);
    if (typeof e.version !== 'string' || !isSemver(e.version)) fail(`${at}.version must be semver`);
    for (const key of ['name', 'task'] as const) {
      if (typeof e[key] !== 'string' || e[key] === '')
        fail(`${at}.${key} must be a non-empty string`);
    }
    if (e.description !== undefined && typeof e.description !== 'string') {
      fail(`${at}.description must be a string`);
    }
    if (!FRAMEWORKS.includes(e.framework as Framework)) fail(`${at}.framework is unknown`);
    if (typeof e.size !== 'number' || !Number.isSafeInteger(e.size) || e.size < 0) {
      fail(`${at}.size must be a non-negative integer`);
    }
    if (typeof e.manifest !== 'string' || !isSafeRelativePath(e.manifest)) {
      fail(`${at}.manifest must be a relative path without '..'`);
    }
    if (problems.length > before) continue;
    // Copy only the known fields: the rest of the app can trust the shape exactly.
    models.push({
      id: e.id as string,
      name: e.name as string,
      version: e.version as string,
      framework: e.framework as Framework,
      task: e.task as string,
      description: (e.description as string | undefined) ?? '',
      size: e.size as number,
      manifest: e.manifest as string,
    });
  }

  if (problems.length > 0) throw new AppError('invalid-manifest', { problems });
  return { schema: CATALOG_SCHEMA, models };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
