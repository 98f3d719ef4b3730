// A Hugging Face Hub repo listing, read as transformers.js reads a repo: which
// dtypes it publishes, the files each needs, their bytes and memory, and the
// `ModelManifest` that installs one of them. Pure; the rules are in docs/hub.md.

import { AppError } from './errors';
import {
  type Backend,
  type Dtype,
  isSafeRelativePath,
  MANIFEST_SCHEMA,
  type ManifestFile,
  type ModelManifest,
} from './manifest';

/** One entry of `/api/models/{repo}/tree/{rev}?recursive=true` (huggingface.js `ListFileEntry`). */
export interface HubFileEntry {
  type: 'file' | 'directory' | 'unknown';
  /** The git blob id (SHA-1 of `blob <size>\0<bytes>`); for an LFS file, the pointer's. */
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

export interface HubVariant {
  dtype: Dtype;
  /** Every file the variant needs, support files first, then weights. */
  files: string[];
  /** Bytes to download. */
  bytes: number;
  /** Memory needed to run it, estimated from the weights' real sizes. */
  memoryBytes: number;
}

/** transformers.js file-name suffix of each dtype (`dtype` option → `onnx/model{suffix}.onnx`). */
export const DTYPE_SUFFIX: Readonly<Record<Dtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  bnb4: '_bnb4',
  q4f16: '_q4f16',
};

/** Checked in this order, so variants come out in a stable order. */
const DTYPE_ORDER: readonly Dtype[] = [
  'fp32',
  'fp16',
  'q8',
  'int8',
  'uint8',
  'q4',
  'bnb4',
  'q4f16',
];

/**
 * Files beside the weights that transformers.js may read (config, generation
 * settings, tokenizer, processors, chat template); each is taken when the repo has it.
 */
export const SUPPORT_FILES: readonly string[] = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.json',
  'vocab.txt',
  'merges.txt',
  'tokenizer.model',
  'chat_template.jinja',
  'chat_template.json',
  'preprocessor_config.json',
  'processor_config.json',
];

/**
 * Session files in transformers.js layout: `model` (most onnx-community repos), or
 * `decoder_model_merged` where that is what the repo has (older exports), plus an
 * `encoder_model` beside it for encoder-decoder models.
 */
const MAIN_SESSIONS = ['model', 'decoder_model_merged'] as const;
const EXTRA_SESSIONS = ['encoder_model'] as const;

/**
 * Memory to run a variant, per byte of weights: the weights themselves plus the
 * runtime's working memory (activations, KV cache at modest context). 1.25 is
 * the planner's existing margin for manifests without a stated need.
 */
export const MEMORY_PER_WEIGHT_BYTE = 1.25;

/** External-data files of `onnxPath`: `x.onnx_data`, `x.onnx_data_1`, … */
function externalData(onnxPath: string, byPath: Map<string, HubFileEntry>): string[] {
  const prefix = `${onnxPath}_data`;
  const found: string[] = [];
  for (const path of byPath.keys()) {
    const rest = path.slice(prefix.length);
    if (path.startsWith(prefix) && (rest === '' || /^_\d+$/.test(rest))) found.push(path);
  }
  return found.sort(naturalOrder);
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Files only (directories dropped), by path. */
function filesByPath(entries: readonly HubFileEntry[]): Map<string, HubFileEntry> {
  const byPath = new Map<string, HubFileEntry>();
  for (const entry of entries) if (entry.type === 'file') byPath.set(entry.path, entry);
  return byPath;
}

/** The weights files (sessions + external data) of one dtype, or null when the repo lacks it. */
function weightsOf(dtype: Dtype, byPath: Map<string, HubFileEntry>): string[] | null {
  const suffix = DTYPE_SUFFIX[dtype];
  const main = MAIN_SESSIONS.map((s) => `onnx/${s}${suffix}.onnx`).find((p) => byPath.has(p));
  if (!main) return null;
  const sessions = [
    ...EXTRA_SESSIONS.map((s) => `onnx/${s}${suffix}.onnx`).filter((p) => byPath.has(p)),
    main,
  ];
  return sessions.flatMap((p) => [p, ...externalData(p, byPath)]);
}

/** Every dtype the listing publishes, with its files, bytes and memory need. */
export function hubVariants(entries: readonly HubFileEntry[]): HubVariant[] {
  const byPath = filesByPath(entries);
  if (!byPath.has('config.json')) return [];
  const support = SUPPORT_FILES.filter((p) => byPath.has(p));
  const variants: HubVariant[] = [];
  for (const dtype of DTYPE_ORDER) {
    const weights = weightsOf(dtype, byPath);
    if (!weights) continue;
    const files = [...support, ...weights];
    const size = (p: string) => byPath.get(p)?.size ?? 0;
    const weightBytes = weights.reduce((sum, p) => sum + size(p), 0);
    variants.push({
      dtype,
      files,
      bytes: files.reduce((sum, p) => sum + size(p), 0),
      memoryBytes: Math.ceil(weightBytes * MEMORY_PER_WEIGHT_BYTE),
    });
  }
  return variants;
}

/** The planner's variants for a Hub repo: each dtype on each backend transformers.js offers. */
export const HUB_BACKENDS: readonly Backend[] = ['webgpu', 'wasm'];

export interface HubManifestInput {
  repo: string;
  commit: string;
  dtype: Dtype;
  entries: readonly HubFileEntry[];
  task: string | null;
  license: string | null;
}

/** The id a Hub install gets: `<owner>--<name>-<dtype>`, a lowercase slug of at most 64. */
export function hubModelId(repo: string, dtype: Dtype): string {
  const slug = repo
    .toLowerCase()
    .replace('/', '--')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  const tail = `-${dtype}`;
  return `${slug.slice(0, 64 - tail.length)}${tail}`;
}

/** The version a Hub install gets: the pinned commit, so a moved branch is a new version. */
export function hubModelVersion(commit: string): string {
  return `0.0.0-c${commit.slice(0, 12).toLowerCase()}`;
}

/**
 * The manifest that installs `dtype` of a listing: its files with their sizes and
 * whole-file hashes (LFS → `sha256` = the LFS oid; a plain git file → `gitBlobSha1`
 * = its oid). No chunk hashes: the Hub has none, so every file is checked whole.
 */
export function hubManifest(input: HubManifestInput): ModelManifest {
  const { repo, commit, dtype, entries } = input;
  const variant = hubVariants(entries).find((v) => v.dtype === dtype);
  if (!variant) {
    throw new AppError('no-runnable-files', { repo, commit, dtype, reason: 'no such variant' });
  }
  const byPath = filesByPath(entries);
  const files: ManifestFile[] = variant.files.map((path) => {
    const entry = byPath.get(path) as HubFileEntry;
    if (!isSafeRelativePath(path)) {
      throw new AppError('no-runnable-files', { repo, commit, path, reason: 'unsafe path' });
    }
    if (entry.lfs) {
      return { path, size: entry.lfs.size, sha256: entry.lfs.oid.toLowerCase(), chunks: [] };
    }
    return { path, size: entry.size, gitBlobSha1: entry.oid.toLowerCase(), chunks: [] };
  });
  return {
    schema: MANIFEST_SCHEMA,
    id: hubModelId(repo, dtype),
    name: repo,
    version: hubModelVersion(commit),
    framework: 'transformers',
    task: input.task ?? 'unknown',
    license: input.license ?? 'see the model card',
    description: `${repo} at commit ${commit}, ${dtype} weights, from the Hugging Face Hub.`,
    variants: HUB_BACKENDS.map((backend) => ({
      backend,
      dtype,
      files: variant.files,
      memoryBytes: variant.memoryBytes,
      requiredFeatures: [],
    })),
    files,
  };
}
