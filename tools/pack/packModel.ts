// Builds model packages: hashes every file of a model directory (whole file and
// per chunk, streaming) into a checked manifest.json, and indexes a tree of
// packages (`root/<id>/<version>/manifest.json`) into root/catalog.json.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CATALOG_SCHEMA, type Catalog, catalogEntry, parseCatalog } from '../../src/core/catalog';
import { AppError } from '../../src/core/errors';
import {
  type Framework,
  MANIFEST_SCHEMA,
  type ManifestChunk,
  type ManifestFile,
  type ManifestVariant,
  type ModelManifest,
  parseManifest,
} from '../../src/core/manifest';
import { compareSemver } from '../../src/core/semver';

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
const MANIFEST = 'manifest.json';

/** A variant as the packer takes it: `files` defaults to every file in the package. */
export type VariantInput = Omit<ManifestVariant, 'files'> & { files?: string[] };

export interface PackOptions {
  dir: string;
  id: string;
  name: string;
  version: string;
  framework: Framework;
  task: string;
  license: string;
  description?: string;
  variants: VariantInput[];
  /** Bytes per verified chunk; the downloader checks and resumes at this grain. */
  chunkSize?: number;
  /** Glob-like patterns (`*`, `**`, `?`); one without `/` matches any single path segment. */
  exclude?: string[];
}

/** Hashes, writes `<dir>/manifest.json` and returns the manifest (checked by `parseManifest`). */
export async function packModel(opts: PackOptions): Promise<ModelManifest> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const paths = await listFiles(opts.dir, opts.exclude);
  const files: ManifestFile[] = [];
  for (const path of paths)
    files.push({ path, ...(await hashFile(join(opts.dir, path), chunkSize)) });

  const manifest: ModelManifest = {
    schema: MANIFEST_SCHEMA,
    id: opts.id,
    name: opts.name,
    version: opts.version,
    framework: opts.framework,
    task: opts.task,
    license: opts.license,
    description: opts.description ?? '',
    variants: opts.variants.map((v) => ({
      backend: v.backend,
      dtype: v.dtype,
      files: v.files ?? paths,
      memoryBytes: v.memoryBytes,
      requiredFeatures: v.requiredFeatures,
    })),
    files,
  };
  parseManifest(manifest); // Never write a manifest the app would refuse.
  await writeFile(join(opts.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The package's files relative to `dir`, with `/` separators, sorted by code
 * unit so manifests are reproducible. The top-level manifest.json (the output)
 * and excluded paths are left out; symlinks are followed.
 */
export async function listFiles(dir: string, exclude: string[] = []): Promise<string[]> {
  const excluded = exclude.map(globToRegExp);
  const isExcluded = (path: string) =>
    excluded.some(({ re, anySegment }) =>
      anySegment ? path.split('/').some((part) => re.test(part)) : re.test(path),
    );
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of await readdir(join(dir, rel))) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (path === MANIFEST || isExcluded(path)) continue;
      const st = await stat(join(dir, path));
      if (st.isDirectory()) await walk(path);
      else if (st.isFile()) out.push(path);
    }
  };
  await walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `**` spans directories, `*` and `?` stay within one path segment. */
function globToRegExp(pattern: string): { re: RegExp; anySegment: boolean } {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A directory pattern also excludes everything under it.
  return { re: new RegExp(`^${source}(?:/.*)?$`), anySegment: !pattern.includes('/') };
}

/**
 * SHA-256 of a file and of each `chunkSize` slice of it, in one streaming pass.
 * Sizes come from the bytes read, so they always agree with the hashes.
 */
export async function hashFile(
  path: string,
  chunkSize: number,
): Promise<Omit<ManifestFile, 'path'>> {
  const whole = createHash('sha256');
  const chunks: ManifestChunk[] = [];
  let part = createHash('sha256');
  let partLength = 0;
  let offset = 0;
  for await (const data of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const buf = data as Buffer;
    whole.update(buf);
    for (let i = 0; i < buf.length; ) {
      const take = Math.min(chunkSize - partLength, buf.length - i);
      part.update(buf.subarray(i, i + take));
      partLength += take;
      i += take;
      if (partLength === chunkSize) {
        chunks.push({ offset, length: partLength, sha256: part.digest('hex') });
        offset += partLength;
        part = createHash('sha256');
        partLength = 0;
      }
    }
  }
  // An empty file has no chunks: there are no bytes to check.
  if (partLength > 0) chunks.push({ offset, length: partLength, sha256: part.digest('hex') });
  return { size: offset + partLength, sha256: whole.digest('hex'), chunks };
}

/**
 * Indexes `root/<id>/<version>/manifest.json` into `root/catalog.json`, keeping
 * the latest version of each model (semver precedence). Throws on a manifest
 * that is invalid or does not match the directory it sits in.
 */
export async function writeCatalog(root: string): Promise<Catalog> {
  const latest = new Map<string, ModelManifest>();
  for (const id of await subdirectories(root)) {
    for (const version of await subdirectories(join(root, id))) {
      const path = join(root, id, version, MANIFEST);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        continue; // Not a package (yet): nothing to list.
      }
      const manifest = parseManifestFile(text, path);
      if (manifest.id !== id || manifest.version !== version) {
        throw new AppError('invalid-manifest', {
          path,
          problems: [
            `${manifest.id}@${manifest.version} must sit in ${manifest.id}/${manifest.version}/`,
          ],
        });
      }
      const current = latest.get(id);
      if (!current || compareSemver(version, current.version) > 0) latest.set(id, manifest);
    }
  }
  const models = [...latest.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((m) => catalogEntry(m, `${m.id}/${m.version}/${MANIFEST}`));
  const catalog = parseCatalog({ schema: CATALOG_SCHEMA, models });
  await writeFile(join(root, 'catalog.json'), `${JSON.stringify(catalog, null, 2)}\n`);
  return catalog;
}

function parseManifestFile(text: string, path: string): ModelManifest {
  try {
    return parseManifest(JSON.parse(text));
  } catch (error) {
    const problems = AppError.is(error) ? error.details.problems : [`not JSON: ${String(error)}`];
    throw new AppError('invalid-manifest', { path, problems });
  }
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}
