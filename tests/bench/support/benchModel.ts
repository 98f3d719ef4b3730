// Model packages for the download benchmark, generated in a temp dir: a file
// of seeded random bytes packed with the project's packer, plus extra versions
// that point at the same bytes (symlinks) so each run installs afresh.

import { createCipheriv, createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { ModelManifest } from '../../../src/core/manifest';
import { packModel } from '../../../tools/pack/packModel';

export const MIB = 1024 * 1024;
const FILE = 'model.bin';

/** Writes `size` bytes of AES-CTR keystream keyed by `seed`: random-looking, reproducible, fast. */
export async function writeSeededFile(path: string, size: number, seed: number): Promise<void> {
  const key = createHash('sha256').update(`bench-seed-${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(8 * MIB);
  const out = createWriteStream(path);
  for (let left = size; left > 0; left -= zeros.length) {
    const block = cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

export interface BenchPackage {
  id: string;
  manifest: ModelManifest;
  /** URL path of the file, e.g. `/bench-512/1.0.0/model.bin`. */
  filePath: string;
  /** A fresh version (same bytes, new manifest) to install; returns its manifest's URL path. */
  newVersion(): Promise<string>;
}

/** Generates and packs `<root>/<id>/1.0.0/model.bin` (chunk hashes of `chunkSize`). */
export async function makeBenchPackage(
  root: string,
  opts: { id: string; size: number; seed: number; chunkSize: number; sameBytesAs?: BenchPackage },
): Promise<BenchPackage> {
  const dir = join(root, opts.id, '1.0.0');
  await mkdir(dir, { recursive: true });
  // Another chunk size over the same bytes: link them rather than write them again.
  if (opts.sameBytesAs) await symlink(join(root, opts.sameBytesAs.filePath), join(dir, FILE));
  else await writeSeededFile(join(dir, FILE), opts.size, opts.seed);
  const manifest = await packModel({
    dir,
    id: opts.id,
    name: `Benchmark ${opts.size / MIB} MiB, ${opts.chunkSize / MIB} MiB chunks`,
    version: '1.0.0',
    framework: 'onnx',
    task: 'benchmark',
    license: 'CC0-1.0',
    chunkSize: opts.chunkSize,
    variants: [{ backend: 'wasm', dtype: 'fp32', memoryBytes: opts.size, requiredFeatures: [] }],
  });
  const text = await readFile(join(dir, 'manifest.json'), 'utf8');
  let next = 1;
  return {
    id: opts.id,
    manifest,
    filePath: `/${opts.id}/1.0.0/${FILE}`,
    async newVersion() {
      const version = `1.0.${next++}`;
      const at = join(root, opts.id, version);
      await mkdir(at, { recursive: true });
      await symlink(join(dir, FILE), join(at, FILE));
      const copy = JSON.parse(text) as ModelManifest;
      copy.version = version;
      await writeFile(join(at, 'manifest.json'), JSON.stringify(copy));
      return `/${opts.id}/${version}/manifest.json`;
    },
  };
}
