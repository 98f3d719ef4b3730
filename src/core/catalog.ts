// The model catalog: the list of models a server (or the app's bundled
// catalog) offers, one entry per model id, each pointing at its manifest or at
// a Hugging Face Hub repo. `parseCatalog` checks untrusted JSON as strictly as
// `parseManifest` and throws `invalid-catalog`.

import * as v from 'valibot';
import { AppError } from './errors';
import { hubRepoSchema, hubRevisionSchema } from './hubRepoRef';
import {
  byteCount,
  FRAMEWORKS,
  isPlainObject,
  MAX_DESCRIPTION_LENGTH,
  type ModelManifest,
  manifestSize,
  modelIdSchema,
  relativePath,
  text,
  versionSchema,
} from './manifest';
import { confinedUrl } from './modelPaths';
import { problemsFromIssues } from './schemaProblems';

export const CATALOG_SCHEMA = 1;
/** Largest catalog document the app reads; checked on the bytes, before JSON.parse. */
export const CATALOG_MAX_BYTES = 16 * 1024 * 1024;
export const MAX_CATALOG_MODELS = 20_000;

const manifestEntrySchema = v.strictObject(
  {
    id: modelIdSchema,
    name: text(200),
    version: versionSchema,
    framework: v.picklist(FRAMEWORKS, `must be one of ${FRAMEWORKS.join(', ')}`),
    task: text(100),
    description: v.optional(text(MAX_DESCRIPTION_LENGTH, 0), ''),
    /** Total bytes of all the model's files. */
    size: byteCount,
    /** Path of the manifest relative to the catalog's URL, e.g. `tiny/1.0.0/manifest.json`. */
    manifest: relativePath,
  },
  'is not an object',
);

/**
 * A model published on the Hugging Face Hub in transformers.js layout. It has
 * no version or size here: both come from the Hub's listing when it is shown
 * (the revision resolves to a commit, and the files' sizes to the variants').
 */
const hubEntrySchema = v.strictObject(
  {
    id: modelIdSchema,
    name: text(200),
    framework: v.literal('transformers', 'must be transformers for a Hub model'),
    task: text(100),
    description: v.optional(text(MAX_DESCRIPTION_LENGTH, 0), ''),
    hub: v.strictObject({ repo: hubRepoSchema, revision: hubRevisionSchema }, 'is not an object'),
  },
  'is not an object',
);

// An entry with a `hub` key is checked as a Hub entry, any other as a manifest
// entry, so a mistake is reported against the schema the author meant (a plain
// union would report both schemas' problems, or neither's).
const entrySchema = v.lazy((input) =>
  isPlainObject(input) && Object.hasOwn(input, 'hub') ? hubEntrySchema : manifestEntrySchema,
);

export const catalogSchema = v.pipe(
  v.strictObject(
    {
      schema: v.literal(CATALOG_SCHEMA, `must be ${CATALOG_SCHEMA}`),
      models: v.pipe(
        v.array(entrySchema, 'must be an array'),
        v.maxLength(MAX_CATALOG_MODELS, `must list at most ${MAX_CATALOG_MODELS} models`),
      ),
    },
    'is not an object',
  ),
  v.title('RunAnywhere model catalog'),
  v.description(
    "The models a host offers, each at its latest version, with its manifest's path under " +
      "the catalog's folder. Documents are at most 16 MiB.",
  ),
);

export type Catalog = v.InferOutput<typeof catalogSchema>;
export type CatalogEntry = Catalog['models'][number];
export type ManifestCatalogEntry = v.InferOutput<typeof manifestEntrySchema>;
export type HubCatalogEntry = v.InferOutput<typeof hubEntrySchema>;

export function isHubEntry(entry: CatalogEntry): entry is HubCatalogEntry {
  return 'hub' in entry;
}

/**
 * The catalog's schema as JSON Schema can state it: an entry is either kind
 * (the app picks the kind by the `hub` key, which JSON Schema's `anyOf` cannot
 * say). Used only to write docs/schema/catalog.schema.json.
 */
export const catalogDocumentSchema = v.pipe(
  v.strictObject({
    schema: v.literal(CATALOG_SCHEMA),
    models: v.pipe(
      v.array(v.union([manifestEntrySchema, hubEntrySchema])),
      v.maxLength(MAX_CATALOG_MODELS),
    ),
  }),
  v.title('RunAnywhere model catalog'),
  v.description(
    "The models a host offers, each at its latest version, with its manifest's path under " +
      "the catalog's folder, or a Hugging Face Hub repo (`hub: {repo, revision}`) whose " +
      'files, sizes and commit are read from the Hub. Documents are at most 16 MiB.',
  ),
);

/** The catalog entry that describes `manifest`, found at `manifestPath`. */
export function catalogEntry(manifest: ModelManifest, manifestPath: string): ManifestCatalogEntry {
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

// Manifest paths are checked as URLs against this stand-in when the catalog's own URL is not given.
const STAND_IN_URL = 'https://models.invalid/catalog.json';

export interface ParseCatalogOptions {
  /** Where the catalog was fetched from: every manifest URL must stay under its folder. */
  url?: string;
}

/** Validates untrusted JSON as a catalog; the problems are listed in `details.problems`. */
export function parseCatalog(json: unknown, options: ParseCatalogOptions = {}): Catalog {
  const where = options.url ? { url: options.url } : {};
  if (!isPlainObject(json)) {
    throw new AppError('invalid-catalog', { ...where, problems: ['catalog is not an object'] });
  }
  const result = v.safeParse(catalogSchema, json);
  if (!result.success) {
    const problems = problemsFromIssues(result.issues, 'catalog');
    throw new AppError('invalid-catalog', { ...where, problems });
  }
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [i, entry] of result.output.models.entries()) {
    if (ids.has(entry.id)) problems.push(`models[${i}].id is listed twice`);
    ids.add(entry.id);
    if (isHubEntry(entry)) continue;
    const resolved = confinedUrl(options.url ?? STAND_IN_URL, entry.manifest);
    if (resolved.problem !== null) problems.push(`models[${i}].manifest ${resolved.problem}`);
  }
  if (problems.length > 0) throw new AppError('invalid-catalog', { ...where, problems });
  return result.output;
}
