// Shared by the download engine's browser specs: a generated model of a few
// files (a few MB, small chunks) packed into a temp folder, served by its own
// model server, and the harness page that drives the engine.

import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ModelManifest } from '../../src/core/manifest';
import type { EngineOptions } from '../../src/download/engineOptions';
import { mulberry32 } from '../../tools/mulberry32';
import { packModel } from '../../tools/pack/packModel';
import { type Fault, type FaultInjectionPlugin, faultInjection } from '../../tools/serve/faults';
import {
  createModelServer,
  type ModelServer,
  type ServerPlugin,
} from '../../tools/serve/modelServer';
import { callHarness, type HarnessMethod, openHarnessPage } from './harnessPage';
import type { DownloadHarness, Outcome } from './pages/download';

export type { DownloadHarness, Outcome };

export const MODEL_ID = 'gen-model';
export const MODEL_VERSION = '1.0.0';
export const CHUNK = 64 * 1024;

/** Sizes chosen to hit chunk edges: exact multiples, a short tail, one tiny file and an empty one. */
const FILES: Array<[string, number]> = [
  ['weights/a.bin', 24 * CHUNK],
  ['weights/b.bin', 11 * CHUNK + 1234],
  ['config.json', 3000],
  ['empty.txt', 0],
];

export interface TestModel {
  root: string;
  /** A pristine copy, to restore files a test changed. */
  pristine: string;
  manifest: ModelManifest;
  manifestPath: string;
  totalBytes: number;
  paths: string[];
  close(): Promise<void>;
}

/** Deterministic bytes, different per file (seeded), so a stitched file cannot pass. */
function bytesFor(seed: number, size: number): Uint8Array {
  const random = mulberry32(seed);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(random() * 256);
  return out;
}

export async function makeTestModel(
  opts: { files?: Array<[string, number]>; chunkSize?: number; id?: string } = {},
) {
  const id = opts.id ?? MODEL_ID;
  const base = await mkdtemp(join(tmpdir(), 'runanywhere-dl-'));
  const root = join(base, 'root');
  const dir = join(root, id, MODEL_VERSION);
  const files = opts.files ?? FILES;
  for (const [i, [path, size]] of files.entries()) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytesFor(i + 1, size));
  }
  const manifest = await packModel({
    dir,
    id,
    name: 'Generated test model',
    version: MODEL_VERSION,
    framework: 'onnx',
    task: 'test',
    license: 'MIT',
    variants: [{ backend: 'wasm', dtype: 'fp32', memoryBytes: 1, requiredFeatures: [] }],
    chunkSize: opts.chunkSize ?? CHUNK,
  });
  const pristine = join(base, 'pristine');
  await cp(root, pristine, { recursive: true });
  const model: TestModel = {
    root,
    pristine,
    manifest,
    manifestPath: `${id}/${MODEL_VERSION}/manifest.json`,
    totalBytes: manifest.files.reduce((s, f) => s + f.size, 0),
    paths: manifest.files.map((f) => f.path),
    close: () => rm(base, { recursive: true, force: true }),
  };
  return model;
}

/** Puts every file back as packed (new mtimes, so new validators). */
export async function restoreModel(model: TestModel): Promise<void> {
  await cp(model.pristine, model.root, { recursive: true, force: true });
}

export async function serveModel(
  model: TestModel,
  plugins: ServerPlugin[] = [],
): Promise<ModelServer> {
  return createModelServer({ root: model.root, plugins });
}

/** Bytes of model files the server sent (the manifest excluded). */
export function modelBytesSent(server: ModelServer): number {
  let total = 0;
  for (const [path, { bytes }] of server.stats.byPath)
    if (!path.endsWith('manifest.json')) total += bytes;
  return total;
}

/** Engine options that make faults cheap to meet: small waits, short stall timeout. */
/** Injects `fault` once: into the first request for `file`'s chunk number `chunk` (0-based). */
export function faultOnChunk(file: string, chunk: number, fault: Fault): FaultInjectionPlugin {
  let done = false;
  return faultInjection({
    next: (r) => {
      const range = `bytes=${chunk * CHUNK}-${(chunk + 1) * CHUNK - 1}`;
      if (done || !r.path.endsWith(`/${file}`) || r.range !== range) return null;
      done = true;
      return fault;
    },
  });
}

export const FAST_OPTIONS: EngineOptions = {
  connections: 4,
  stallTimeoutMs: 400,
  progressIntervalMs: 20,
  retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 50 },
};

export function openHarness(page: Page, harnessUrl: string): Promise<void> {
  return openHarnessPage(page, harnessUrl, 'download');
}

/** Calls one method of the download harness page. */
export function call<K extends HarnessMethod<DownloadHarness>>(
  page: Page,
  name: K,
  ...args: Parameters<DownloadHarness[K]>
): Promise<Awaited<ReturnType<DownloadHarness[K]>>> {
  return callHarness(page, name, args) as Promise<Awaited<ReturnType<DownloadHarness[K]>>>;
}

/** Every stored file hashes to its manifest SHA-256 (read back through the app's read API). */
export async function storedMismatches(page: Page, model: TestModel): Promise<string[]> {
  const hashes = await call(page, 'storedHashes', MODEL_ID, MODEL_VERSION, model.paths);
  return model.manifest.files
    .filter((f) => hashes[f.path] !== f.sha256)
    .map((f) => `${f.path}: ${hashes[f.path]}`);
}
