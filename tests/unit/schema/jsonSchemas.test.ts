// The committed JSON Schemas (docs/schema/) say what the app's valibot schemas
// say: this fails until `npm run schema` is run after a schema change.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, SCHEMA_FILES } from '../../../tools/schema/jsonSchemas';

const root = join(import.meta.dirname, '..', '..', '..');

describe('docs/schema', () => {
  const schemas = jsonSchemas();
  it.each(Object.entries(SCHEMA_FILES))(
    '%s.schema.json is up to date (npm run schema)',
    async (name, path) => {
      const committed = JSON.parse(await readFile(join(root, path), 'utf8'));
      expect(committed).toEqual(schemas[name as keyof typeof SCHEMA_FILES]);
    },
  );

  it('refuses unknown keys and bounds chunk length, as the app does', () => {
    const manifest = schemas.manifest as {
      additionalProperties: boolean;
      properties: {
        files: {
          items: {
            properties: { chunks: { items: { properties: { length: { maximum: number } } } } };
          };
        };
      };
    };
    expect(manifest.additionalProperties).toBe(false);
    expect(manifest.properties.files.items.properties.chunks.items.properties.length.maximum).toBe(
      64 * 1024 * 1024,
    );
  });
});
