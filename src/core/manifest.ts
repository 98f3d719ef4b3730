// The model package: a manifest describes one version of a model, every file
// in it and the SHA-256 of each file and each chunk. `parseManifest` turns
// untrusted JSON into a checked `ModelManifest` or throws `invalid-manifest`.

import { AppError } from './errors';
import { isSemver } from './semver';

export const MANIFEST_SCHEMA = 1;

export type Framework = 'transformers' | 'onnx' | 'tflite' | 'builtin';
export type Backend = 'wasm' | 'webgpu' | 'webnn';
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16' | 'int8';

export interface ManifestChunk {
  offset: number;
  length: number;
  sha256: string;
}

export interface ManifestFile {
  /** Path relative to the manifest's URL, using `/` separators. */
  path: string;
  size: number;
  sha256: string;
  chunks: ManifestChunk[];
}

export interface ManifestVariant {
  backend: Backend;
  dtype: Dtype;
  /** Paths of the files this variant needs (a subset of `files`). */
  files: string[];
  /** Peak memory the variant needs once loaded, in bytes. */
  memoryBytes: number;
  /** Browser features it cannot run without, e.g. `shader-f16`. */
  requiredFeatures: string[];
}

export interface ModelManifest {
  schema: typeof MANIFEST_SCHEMA;
  id: string;
  name: string;
  version: string;
  framework: Framework;
  task: string;
  license: string;
  description: string;
  variants: ManifestVariant[];
  files: ManifestFile[];
}

export const FRAMEWORKS: readonly Framework[] = ['transformers', 'onnx', 'tflite', 'builtin'];
const BACKENDS: readonly Backend[] = ['wasm', 'webgpu', 'webnn'];
const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16', 'int8'];
const SHA256 = /^[0-9a-f]{64}$/;
const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Whether `id` is a valid model id: a lowercase slug, safe as a URL and directory name. */
export function isModelId(id: unknown): id is string {
  return typeof id === 'string' && MODEL_ID.test(id);
}

/** Total bytes of a manifest's files. */
export function manifestSize(manifest: Pick<ModelManifest, 'files'>): number {
  return manifest.files.reduce((sum, f) => sum + f.size, 0);
}

/** Validates untrusted JSON as a manifest; every problem is listed in `details.problems`. */
export function parseManifest(json: unknown): ModelManifest {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  if (!isObject(json)) fail('manifest is not an object');
  const m: Record<string, unknown> = isObject(json) ? json : {};

  if (m.schema !== MANIFEST_SCHEMA) fail(`schema must be ${MANIFEST_SCHEMA}`);
  if (!isModelId(m.id)) fail('id must be a lowercase slug');
  if (typeof m.version !== 'string' || !isSemver(m.version)) fail('version must be semver');
  for (const key of ['name', 'task', 'license'] as const) {
    if (typeof m[key] !== 'string' || m[key] === '') fail(`${key} must be a non-empty string`);
  }
  if (m.description !== undefined && typeof m.description !== 'string') {
    fail('description must be a string');
  }
  if (!FRAMEWORKS.includes(m.framework as Framework)) fail('unknown framework');

  if (!Array.isArray(m.files)) fail('files must be an array');
  const files: unknown[] = Array.isArray(m.files) ? m.files : [];
  const paths = new Set<string>();
  for (const [i, f] of files.entries()) checkFile(f, `files[${i}]`, fail, paths);

  if (!Array.isArray(m.variants)) fail('variants must be an array');
  const variants: unknown[] = Array.isArray(m.variants) ? m.variants : [];
  if (variants.length === 0) fail('at least one variant is required');
  for (const [i, v] of variants.entries()) checkVariant(v, `variants[${i}]`, fail, paths);

  if (problems.length > 0) throw new AppError('invalid-manifest', { problems });
  return {
    description: '',
    ...(m as object),
  } as ModelManifest;
}

function checkFile(f: unknown, at: string, fail: (m: string) => void, paths: Set<string>) {
  if (!isObject(f)) return fail(`${at} is not an object`);
  if (typeof f.path !== 'string' || !isSafeRelativePath(f.path)) {
    return fail(`${at}.path must be a relative path without '..'`);
  }
  if (paths.has(f.path)) fail(`${at}.path is listed twice`);
  paths.add(f.path);
  if (!isByteCount(f.size)) fail(`${at}.size must be a non-negative integer`);
  if (typeof f.sha256 !== 'string' || !SHA256.test(f.sha256)) fail(`${at}.sha256 must be hex`);
  if (!Array.isArray(f.chunks)) return fail(`${at}.chunks must be an array`);
  // Chunks must tile the file exactly: contiguous, in order, covering every byte.
  let expected = 0;
  for (const [j, c] of f.chunks.entries()) {
    if (!isObject(c) || !isByteCount(c.offset) || !isByteCount(c.length) || c.length === 0) {
      return fail(`${at}.chunks[${j}] must have an offset and a positive length`);
    }
    if (typeof c.sha256 !== 'string' || !SHA256.test(c.sha256)) {
      fail(`${at}.chunks[${j}].sha256 must be hex`);
    }
    if (c.offset !== expected)
      return fail(`${at}.chunks[${j}] does not start where the last ended`);
    expected += c.length as number;
  }
  // A non-empty file with no chunks would leave its bytes unchecked while downloading.
  if (isByteCount(f.size) && expected !== f.size) fail(`${at}.chunks do not cover the file`);
}

function checkVariant(v: unknown, at: string, fail: (m: string) => void, paths: Set<string>) {
  if (!isObject(v)) return fail(`${at} is not an object`);
  if (!BACKENDS.includes(v.backend as Backend)) fail(`${at}.backend is unknown`);
  if (!DTYPES.includes(v.dtype as Dtype)) fail(`${at}.dtype is unknown`);
  if (!isByteCount(v.memoryBytes)) fail(`${at}.memoryBytes must be a non-negative integer`);
  if (
    !Array.isArray(v.requiredFeatures) ||
    !v.requiredFeatures.every((s) => typeof s === 'string')
  ) {
    fail(`${at}.requiredFeatures must be a list of strings`);
  }
  if (!Array.isArray(v.files)) return fail(`${at}.files must be an array`);
  for (const p of v.files) {
    if (typeof p !== 'string' || !paths.has(p)) fail(`${at}.files names a file not in files`);
  }
}

export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\')) return false;
  // Control characters (NUL above all) cannot be stored or served as file names.
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function isByteCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
