// CLI: packs a model directory into a manifest.json and/or rebuilds a catalog.json.
// Run with --help for the flags.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Backend, Dtype, Framework } from '../src/core/manifest';
import { listFiles, packModel, type VariantInput, writeCatalog } from './pack/packModel';

const USAGE = `usage: tsx tools/pack-model.ts --dir D --id ID --name N --version V --framework F
                                --task T --license L [--description TEXT] [--chunk-size BYTES]
                                [--exclude GLOB]... [--variant SPEC]... [--catalog ROOT]
       tsx tools/pack-model.ts --catalog ROOT

  --variant backend:dtype[:memoryBytes[:feature,feature]]   e.g. webgpu:q4f16:900000000:shader-f16
            (default: one wasm:fp32 variant needing as much memory as the files' total size)
  --catalog ROOT   afterwards, rewrite ROOT/catalog.json from ROOT/<id>/<version>/manifest.json`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseVariant(spec: string): VariantInput {
  const [backend, dtype, memory, features] = spec.split(':');
  if (!backend || !dtype) fail(`--variant ${spec}: needs at least backend:dtype`);
  // NaN marks "not given": main() fills in an estimate.
  const given = memory !== undefined && memory !== '';
  const memoryBytes = given ? Number(memory) : Number.NaN;
  if (given && !Number.isSafeInteger(memoryBytes)) {
    fail(`--variant ${spec}: memoryBytes must be a whole number`);
  }
  return {
    backend: backend as Backend,
    dtype: dtype as Dtype,
    memoryBytes,
    requiredFeatures: features ? features.split(',').filter(Boolean) : [],
  };
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      dir: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'string' },
      framework: { type: 'string' },
      task: { type: 'string' },
      license: { type: 'string' },
      description: { type: 'string' },
      'chunk-size': { type: 'string' },
      exclude: { type: 'string', multiple: true },
      variant: { type: 'string', multiple: true },
      catalog: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) {
    console.log(USAGE);
    return;
  }
  if (!v.dir && !v.catalog) fail('nothing to do: give --dir or --catalog');

  if (v.dir) {
    const { dir, id, name, version, framework, task, license } = v;
    if (!id || !name || !version || !framework || !task || !license) {
      fail('--dir needs --id, --name, --version, --framework, --task and --license');
    }
    const chunkSize = v['chunk-size'] === undefined ? undefined : Number(v['chunk-size']);
    const variants = (v.variant ?? ['wasm:fp32']).map(parseVariant);
    if (variants.some((x) => Number.isNaN(x.memoryBytes))) {
      // Without a figure, assume the weights take about their size in memory once loaded.
      let total = 0;
      for (const path of await listFiles(dir, v.exclude))
        total += (await stat(join(dir, path))).size;
      for (const x of variants) if (Number.isNaN(x.memoryBytes)) x.memoryBytes = total;
    }
    const manifest = await packModel({
      dir,
      id,
      name,
      version,
      framework: framework as Framework,
      task,
      license,
      description: v.description,
      variants,
      chunkSize,
      exclude: v.exclude,
    });
    const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
    console.log(
      `Wrote ${join(dir, 'manifest.json')}: ${manifest.files.length} files, ${bytes} bytes`,
    );
  }

  if (v.catalog) {
    const catalog = await writeCatalog(v.catalog);
    const listed =
      catalog.models.map((m) => ('hub' in m ? m.id : `${m.id}@${m.version}`)).join(', ') ||
      'no models';
    console.log(`Wrote ${join(v.catalog, 'catalog.json')}: ${listed}`);
  }
}

main().catch((error: unknown) => {
  const details = (error as { details?: { problems?: unknown } }).details;
  console.error(error instanceof Error ? error.message : error);
  if (Array.isArray(details?.problems)) for (const p of details.problems) console.error(`  - ${p}`);
  process.exit(1);
});
