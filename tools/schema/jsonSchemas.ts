// The JSON Schemas published for manifest and catalog authors, generated from
// the valibot schemas the app validates with, so the two cannot drift apart.

import { toJsonSchema } from '@valibot/to-json-schema';
import { catalogDocumentSchema } from '../../src/core/catalog';
import { manifestSchema } from '../../src/core/manifest';

/** Where each schema is committed, relative to the repository root. */
export const SCHEMA_FILES = {
  manifest: 'docs/schema/manifest.schema.json',
  catalog: 'docs/schema/catalog.schema.json',
} as const;

/**
 * Each JSON Schema, as plain data. Rules JSON Schema cannot say (semver, the
 * path rules, chunks that tile the file, unique paths) are skipped by the
 * converter (`errorMode: 'ignore'`) and stated in the fields' descriptions.
 */
export function jsonSchemas(): Record<keyof typeof SCHEMA_FILES, object> {
  const convert = (schema: Parameters<typeof toJsonSchema>[0]) =>
    toJsonSchema(schema, { errorMode: 'ignore' });
  return { manifest: convert(manifestSchema), catalog: convert(catalogDocumentSchema) };
}
