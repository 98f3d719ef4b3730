// The model package: a manifest describes one version of a model, every file
// in it and the SHA-256 of each file and each chunk. `parseManifest` turns
// untrusted JSON into a checked `ModelManifest` or throws `invalid-manifest`.

import * as v from 'valibot';
import { AppError } from './errors';
import {
  confinedUrl,
  isSafeRelativePath,
  MAX_PATH_LENGTH,
  pathCollisions,
  pathProblem,
} from './modelPaths';
import { problemsFromIssues } from './schemaProblems';
import { isSemver } from './semver';

export { isSafeRelativePath };

export const MANIFEST_SCHEMA = 1;

/** Largest manifest document the app reads; checked on the bytes, before JSON.parse. */
export const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;
/**
 * Largest chunk: each connection holds one chunk in memory while it verifies
 * it (4 connections by default). The packer writes 8 MiB chunks.
 */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
/** Most chunks in one file (at 8 MiB chunks, a 512 GiB file). */
export const MAX_CHUNKS_PER_FILE = 65_536;
export const MAX_FILES = 10_000;
export const MAX_VARIANTS = 32;
export const MAX_FEATURES = 32;
export const MAX_DESCRIPTION_LENGTH = 10_000;

export const FRAMEWORKS = ['transformers', 'onnx', 'tflite', 'builtin'] as const;
export const BACKENDS = ['wasm', 'webgpu', 'webnn'] as const;
export const DTYPES = ['fp32', 'fp16', 'q8', 'q4', 'q4f16', 'int8', 'uint8', 'bnb4'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
export type Backend = (typeof BACKENDS)[number];
export type Dtype = (typeof DTYPES)[number];

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Whether `id` is a valid model id: a lowercase slug, safe as a URL and directory name. */
export function isModelId(id: unknown): id is string {
  return typeof id === 'string' && MODEL_ID.test(id);
}

// Building blocks shared with the catalog schema. Every schema carries its
// own message, so problems read as "<field> <message>".

export const text = (max: number, min = 1) =>
  v.pipe(
    v.string(min > 0 ? 'must be a non-empty string' : 'must be a string'),
    v.minLength(min, 'must be a non-empty string'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

export const modelIdSchema = v.pipe(
  v.string('must be a lowercase slug'),
  v.regex(MODEL_ID, 'must be a lowercase slug (a-z, 0-9, . _ -, at most 64)'),
);

export const versionSchema = v.pipe(
  v.string('must be semver'),
  v.maxLength(256, 'must be semver of at most 256 characters'),
  v.check(isSemver, 'must be semver (e.g. 1.2.0)'),
  v.description('A semantic version (semver.org), e.g. 1.2.0 or 1.2.0-rc.1.'),
);

export const byteCount = v.pipe(
  v.number('must be a non-negative integer'),
  v.safeInteger('must be a non-negative integer'),
  v.minValue(0, 'must be a non-negative integer'),
);

const sha256 = v.pipe(
  v.string('must be a SHA-256 in hex'),
  v.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hex digits'),
);

const gitBlobSha1 = v.pipe(
  v.string('must be a git blob id in hex'),
  v.regex(/^[0-9a-f]{40}$/, 'must be a git blob id: 40 lowercase hex digits'),
  v.description(
    'SHA-1 of `blob <size>\\0<bytes>`: the id git (and the Hub listing) gives a small file.',
  ),
);

/** A relative path, checked segment by segment (see `pathProblem`). */
export const relativePath = v.pipe(
  v.string('must be a relative path'),
  v.maxLength(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? pathProblem(dataset.value) : null;
    if (problem) addIssue({ message: problem });
  }),
  v.description(
    "A path relative to the document's folder, with / separators: no empty, . or .. segment " +
      '(also once %-decoded), no \\ # ? : or control characters, no space at either end of a ' +
      'segment, NFC, at most 16 segments of 255 characters.',
  ),
);

const chunkSchema = v.strictObject(
  {
    offset: byteCount,
    length: v.pipe(
      v.number('must be a positive integer'),
      v.safeInteger('must be a positive integer'),
      v.minValue(1, 'must be a positive integer'),
      v.maxValue(MAX_CHUNK_BYTES, `must be at most ${MAX_CHUNK_BYTES} bytes (64 MiB)`),
    ),
    sha256,
  },
  'must be an object',
);

const fileSchema = v.strictObject(
  {
    path: relativePath,
    size: byteCount,
    sha256: v.optional(sha256),
    gitBlobSha1: v.optional(gitBlobSha1),
    chunks: v.pipe(
      v.array(chunkSchema, 'must be an array'),
      v.maxLength(MAX_CHUNKS_PER_FILE, `must have at most ${MAX_CHUNKS_PER_FILE} chunks`),
      v.description(
        'Consecutive chunks that cover the file exactly, each with its own SHA-256; empty when ' +
          'only the whole-file hash checks the file (a Hugging Face Hub file).',
      ),
    ),
  },
  'is not an object',
);

const variantSchema = v.strictObject(
  {
    backend: v.picklist(BACKENDS, `must be one of ${BACKENDS.join(', ')}`),
    dtype: v.picklist(DTYPES, `must be one of ${DTYPES.join(', ')}`),
    files: v.pipe(
      v.array(relativePath, 'must be an array'),
      v.maxLength(MAX_FILES, `must list at most ${MAX_FILES} files`),
      v.description('Paths of the files this variant needs, each one listed in `files`.'),
    ),
    memoryBytes: byteCount,
    requiredFeatures: v.pipe(
      v.array(text(64), 'must be a list of strings'),
      v.maxLength(MAX_FEATURES, `must list at most ${MAX_FEATURES} features`),
    ),
  },
  'is not an object',
);

export const manifestSchema = v.pipe(
  v.strictObject(
    {
      schema: v.literal(MANIFEST_SCHEMA, `must be ${MANIFEST_SCHEMA}`),
      id: modelIdSchema,
      name: text(200),
      version: versionSchema,
      framework: v.picklist(FRAMEWORKS, `must be one of ${FRAMEWORKS.join(', ')}`),
      task: text(100),
      license: text(200),
      description: v.optional(text(MAX_DESCRIPTION_LENGTH, 0), ''),
      variants: v.pipe(
        v.array(variantSchema, 'must be an array'),
        v.minLength(1, 'must list at least one variant'),
        v.maxLength(MAX_VARIANTS, `must list at most ${MAX_VARIANTS} variants`),
      ),
      files: v.pipe(
        v.array(fileSchema, 'must be an array'),
        v.maxLength(MAX_FILES, `must list at most ${MAX_FILES} files`),
      ),
    },
    'is not an object',
  ),
  v.title('RunAnywhere model manifest'),
  v.description(
    'One version of a model: its variants and every file with the SHA-256 of the file and of ' +
      'each chunk. Documents are at most 16 MiB.',
  ),
);

export type ModelManifest = v.InferOutput<typeof manifestSchema>;
export type ManifestFile = ModelManifest['files'][number];
export type ManifestChunk = ManifestFile['chunks'][number];
export type ManifestVariant = ModelManifest['variants'][number];

/** Total bytes of a manifest's files. */
/**
 * What identifies a file's expected bytes (its SHA-256, else `sha1:<git blob id>`):
 * a journal written for other bytes is never resumed.
 */
export function fileDigestId(file: Pick<ManifestFile, 'sha256' | 'gitBlobSha1'>): string {
  if (file.sha256 !== undefined) return file.sha256;
  return `sha1:${file.gitBlobSha1 ?? ''}`;
}

export function manifestSize(manifest: Pick<ModelManifest, 'files'>): number {
  return manifest.files.reduce((sum, f) => sum + f.size, 0);
}

// Paths are checked as URLs against this stand-in when the manifest's own URL is not given.
const STAND_IN_URL = 'https://models.invalid/model/1.0.0/manifest.json';

export interface ParseManifestOptions {
  /** Where the manifest was fetched from: every file URL must stay under its folder. */
  url?: string;
}

/** Validates untrusted JSON as a manifest; the problems are listed in `details.problems`. */
export function parseManifest(json: unknown, options: ParseManifestOptions = {}): ModelManifest {
  const where = options.url ? { url: options.url } : {};
  // valibot takes an array for an object (with every key missing): say what it is.
  if (!isPlainObject(json)) {
    throw new AppError('invalid-manifest', { ...where, problems: ['manifest is not an object'] });
  }
  const result = v.safeParse(manifestSchema, json);
  if (!result.success) {
    const problems = problemsFromIssues(result.issues, 'manifest');
    throw new AppError('invalid-manifest', { ...where, problems });
  }
  const problems = manifestProblems(result.output, options.url ?? STAND_IN_URL);
  if (problems.length > 0) throw new AppError('invalid-manifest', { ...where, problems });
  return result.output;
}

/** What a well-formed manifest can still get wrong: the rules that span fields. */
function manifestProblems(m: ModelManifest, url: string): string[] {
  const problems: string[] = [];
  for (const [i, f] of m.files.entries()) {
    const at = `files[${i}]`;
    // Every file is checked whole: by SHA-256, or (a Hub file without LFS) by its git blob id.
    if (f.sha256 === undefined && f.gitBlobSha1 === undefined) {
      problems.push(`${at} needs sha256 or gitBlobSha1`);
    }
    if (f.gitBlobSha1 !== undefined && f.chunks.length > 0) {
      problems.push(`${at}.chunks need the file's sha256 (a git blob id cannot check them)`);
    }
    const resolved = confinedUrl(url, f.path);
    if (resolved.problem !== null) problems.push(`${at}.path ${resolved.problem}`);
    // Chunks must tile the file exactly: contiguous, in order, covering every
    // byte. No chunks at all means the whole-file hash alone checks the file.
    if (f.chunks.length === 0) continue;
    let expected = 0;
    let contiguous = true;
    for (const [j, c] of f.chunks.entries()) {
      if (c.offset !== expected) {
        problems.push(`${at}.chunks[${j}] does not start where the last ended`);
        contiguous = false;
        break;
      }
      expected += c.length;
    }
    if (contiguous && expected !== f.size) {
      problems.push(`${at}.chunks do not cover the file (${expected} of ${f.size} bytes)`);
    }
  }
  for (const { index, problem } of pathCollisions(m.files.map((f) => f.path))) {
    problems.push(`files[${index}].path ${problem}`);
  }
  if (!Number.isSafeInteger(manifestSize(m))) {
    problems.push('files add up to more bytes than a safe integer');
  }
  const paths = new Set(m.files.map((f) => f.path));
  for (const [i, variant] of m.variants.entries()) {
    const seen = new Set<string>();
    for (const [j, path] of variant.files.entries()) {
      if (!paths.has(path)) problems.push(`variants[${i}].files[${j}] names a file not in files`);
      else if (seen.has(path)) problems.push(`variants[${i}].files[${j}] is listed twice`);
      seen.add(path);
    }
  }
  return problems;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
