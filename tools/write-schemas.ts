// CLI (`npm run schema`): writes docs/schema/*.schema.json from the app's
// valibot schemas (formatted by Biome, like every JSON file here); a unit
// test fails while the committed files say something else.

import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonSchemas, SCHEMA_FILES } from './schema/jsonSchemas';

const root = join(import.meta.dirname, '..');
const schemas = jsonSchemas();
for (const [name, path] of Object.entries(SCHEMA_FILES)) {
  const schema = schemas[name as keyof typeof SCHEMA_FILES];
  await writeFile(join(root, path), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
const biome = join(root, 'node_modules', '.bin', 'biome');
execFileSync(biome, ['format', '--write', ...Object.values(SCHEMA_FILES)], { cwd: root });
