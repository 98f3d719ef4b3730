// Harness page for the runtime proofs: stores model files in OPFS the way the
// app does, then drives the real engines (each runtime in its own worker).
// Every call answers `{ok, value}` or `{ok: false, error: {code, message, details}}`
// so that typed errors reach the test intact.

import { AppError } from '../../../src/core/errors';
import type { ModelManifest } from '../../../src/core/manifest';
import { DownloadWorkerClient } from '../../../src/download/downloadWorkerClient';
import type { DownloadSettings } from '../../../src/download/types';
import { BuiltinTextEngine, detectBuiltinModel } from '../../../src/inference/builtinEngine';
import { createOnnxEngine, createOnnxWorker } from '../../../src/inference/tensorEngine';
import { createTransformersWorker, WorkerTextEngine } from '../../../src/inference/textEngine';
import { createTfliteEngine, createTfliteWorker } from '../../../src/inference/tfliteEngine';
import type {
  ChatMessage,
  GenerationSettings,
  LoadRequest,
  NamedTensors,
  RunOptions,
  TensorLoadRequest,
  TensorType,
} from '../../../src/inference/types';
import { getInstalledModel, installKey, putInstalledModel } from '../../../src/storage/db';
import { prepareInstall } from '../../../src/ui/updates';
import { collectPromptIds, createPromptSpyWorker } from './promptSpy';

type Failure = { ok: false; error: { code: string; message: string; details: unknown } };
type Outcome<T> = { ok: true; value: T } | Failure;

async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const e = AppError.from(error, 'runtime-crashed');
    return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
  }
}

/** Every worker the engines start, so a test can kill one behind the engine's back. */
const workers: Worker[] = [];
function tracked(create: (name: string) => Worker) {
  return (name: string) => {
    const worker = create(name);
    workers.push(worker);
    return worker;
  };
}

const engines = {
  onnx: createOnnxEngine({ create: tracked(createOnnxWorker), loadTimeoutMs: 120_000 }),
  text: new WorkerTextEngine({ create: tracked(createTransformersWorker), loadTimeoutMs: 120_000 }),
  tflite: createTfliteEngine({ create: tracked(createTfliteWorker), loadTimeoutMs: 120_000 }),
};
type TensorKind = Exclude<keyof typeof engines, 'text'>;
/** The text engine on a worker that reports the ids each generation is fed (promptSpy). */
const spiedText = new WorkerTextEngine({
  create: tracked(createPromptSpyWorker),
  loadTimeoutMs: 120_000,
});
const promptIds = collectPromptIds();

/** The app's own download worker: installs from a model server as the Models screen does. */
const downloads = new DownloadWorkerClient();
/** The app's own download client: its `beforeInstall` caches the runtime and plans the model. */
const appDownloads = new DownloadWorkerClient({ beforeInstall: prepareInstall });

/** The folder of one model version in OPFS, or null when there is none. */
async function versionDir(id: string, version: string) {
  try {
    const models = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
    return await (await models.getDirectoryHandle(id)).getDirectoryHandle(version);
  } catch {
    return null;
  }
}

/** Every stored file of a model version, path and size. */
async function listStored(id: string, version: string): Promise<{ path: string; size: number }[]> {
  const files: { path: string; size: number }[] = [];
  const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
    for await (const entry of (
      dir as unknown as { values(): AsyncIterable<FileSystemHandle> }
    ).values()) {
      const path = prefix + entry.name;
      if (entry.kind === 'directory') await walk(entry as FileSystemDirectoryHandle, `${path}/`);
      else files.push({ path, size: (await (entry as FileSystemFileHandle).getFile()).size });
    }
  };
  const dir = await versionDir(id, version);
  if (dir) await walk(dir, '');
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Damages a stored file: cuts its last byte, or flips the byte at `flipAt`. */
async function damageStored(
  id: string,
  version: string,
  path: string,
  how: { cutLastByte: true } | { flipAt: number },
) {
  let dir = await versionDir(id, version);
  const parts = path.split('/');
  const name = parts.pop() as string;
  for (const part of parts) dir = (await dir?.getDirectoryHandle(part)) ?? null;
  if (!dir) throw new Error(`${path} is not stored`);
  const handle = await dir.getFileHandle(name);
  const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
  const writable = await handle.createWritable();
  if ('flipAt' in how) {
    bytes[how.flipAt] = (bytes[how.flipAt] as number) ^ 0xff;
    await writable.write(bytes);
  } else await writable.write(bytes.subarray(0, bytes.length - 1));
  await writable.close();
}

/** Files count only once their model is recorded as installed, as after a verified download. */
async function markInstalled(id: string, version: string) {
  await putInstalledModel({
    key: installKey(id, version),
    id,
    version,
    manifest: { id, version, files: [] } as unknown as ModelManifest,
    manifestUrl: '',
    installedAt: Date.now(),
    bytes: 0,
    backend: 'opfs-writable',
  });
}

async function writeStored(id: string, version: string, path: string, data: Blob | BufferSource) {
  await markInstalled(id, version);
  let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {
    create: true,
  });
  const parts = [id, version, ...path.split('/')];
  const name = parts.pop() as string;
  for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await writable.write(data);
  await writable.close();
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** Plain arrays both ways: page.evaluate cannot carry typed arrays or bigints. */
interface PlainTensor {
  type: TensorType;
  dims: number[];
  values: number[];
}

const ARRAYS = {
  float32: Float32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int32: Int32Array,
} as const;

function toTensors(plain: Record<string, PlainTensor>): NamedTensors {
  const out: NamedTensors = {};
  for (const [name, t] of Object.entries(plain)) {
    if (t.type === 'int64') {
      out[name] = { type: t.type, dims: t.dims, data: BigInt64Array.from(t.values, BigInt) };
    } else {
      const ArrayOf = ARRAYS[t.type as keyof typeof ARRAYS];
      out[name] = { type: t.type, dims: t.dims, data: ArrayOf.from(t.values) };
    }
  }
  return out;
}

function toPlain(tensors: NamedTensors): Record<string, PlainTensor> {
  const out: Record<string, PlainTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    out[name] = {
      type: t.type,
      dims: t.dims,
      values: Array.from(t.data as ArrayLike<number | bigint>, Number),
    };
  }
  return out;
}

async function digitPixels(url: string): Promise<Float32Array> {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const canvas = new OffscreenCanvas(28, 28);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, 28, 28).data;
  // Greyscale PNG: every channel holds the pixel; the model takes raw 0..255.
  return Float32Array.from({ length: 28 * 28 }, (_, i) => rgba[i * 4] as number);
}

const harness = {
  /** Copies files from a server into OPFS as `models/<id>/<version>/<path>`. */
  store: (baseUrl: string, id: string, version: string, paths: string[], from: string[] = paths) =>
    outcome(async () => {
      for (const [i, path] of paths.entries()) {
        await writeStored(
          id,
          version,
          path,
          await fetchBytes(new URL(from[i] as string, baseUrl).href),
        );
      }
    }),
  /** Stores random bytes: a file no runtime can read. */
  storeGarbage: (id: string, version: string, path: string, size: number) =>
    outcome(async () => {
      const bytes = new Uint8Array(size);
      crypto.getRandomValues(bytes);
      await writeStored(id, version, path, bytes);
    }),
  /** Stores the first `keep` bytes of a served file: a download cut short. */
  storeTruncated: (url: string, id: string, version: string, path: string, keep: number) =>
    outcome(async () => writeStored(id, version, path, (await fetchBytes(url)).slice(0, keep))),
  load: (kind: TensorKind, request: TensorLoadRequest) =>
    outcome(() => engines[kind].load(request)),
  /** Stores bytes made by the test (a generated model). */
  storeBytes: (id: string, version: string, path: string, bytes: number[]) =>
    outcome(() => writeStored(id, version, path, Uint8Array.from(bytes))),
  run: (kind: TensorKind, inputs: Record<string, PlainTensor>, options?: RunOptions) =>
    outcome(async () => toPlain(await engines[kind].run(toTensors(inputs), options))),
  keptOutputs: (kind: TensorKind) => outcome(() => engines[kind].keptOutputs()),
  readKept: (kind: TensorKind, name: string) =>
    outcome(async () => toPlain({ [name]: await engines[kind].readKept(name) })[name]),
  unload: (kind: TensorKind | 'text') => outcome(() => engines[kind].unload()),
  /** Classifies each sample digit with the loaded ONNX engine: the predicted digits. */
  classifyDigits: (baseUrl: string, input: string, output: string) =>
    outcome(async () => {
      const predictions: number[] = [];
      for (let digit = 0; digit < 10; digit++) {
        const pixels = await digitPixels(new URL(`onnx/digits/sample${digit}.png`, baseUrl).href);
        const result = await engines.onnx.run({
          [input]: { type: 'float32', dims: [1, 1, 28, 28], data: pixels },
        });
        const scores = result[output]?.data as Float32Array;
        predictions.push(scores.indexOf(Math.max(...scores)));
      }
      return predictions;
    }),
  loadText: (request: LoadRequest) => outcome(() => engines.text.load(request)),
  /** Generates, collecting the streamed pieces; interrupts after `stopAfter` pieces if given. */
  generate: (messages: ChatMessage[], settings: GenerationSettings, stopAfter?: number) =>
    outcome(async () => {
      const handle = engines.text.generate(messages, settings);
      const pieces: string[] = [];
      for await (const piece of handle.text) {
        pieces.push(piece);
        if (stopAfter !== undefined && pieces.length === stopAfter) await engines.text.interrupt();
      }
      return { pieces, stats: await handle.done };
    }),
  /** Installs through the app's download worker (verified, recorded), with the page's settings. */
  install: (manifestUrl: string, settings: DownloadSettings) =>
    outcome(() => downloads.startDownload(manifestUrl, () => {}, settings)),
  /** As the Models screen installs: no settings, the app's `beforeInstall` (prepareInstall). */
  installAsApp: (manifestUrl: string) =>
    outcome(() => appDownloads.startDownload(manifestUrl, () => {})),
  /** The install record's size and derived files. */
  installed: (id: string, version: string) =>
    outcome(async () => {
      const model = await getInstalledModel(id, version);
      return model ? { bytes: model.bytes, derived: model.derived ?? null } : null;
    }),
  listStored: (id: string, version: string) => outcome(() => listStored(id, version)),
  damageStored: (
    id: string,
    version: string,
    path: string,
    how: { cutLastByte: true } | { flipAt: number },
  ) => outcome(() => damageStored(id, version, path, how)),
  removeModel: (id: string, version: string) => outcome(() => downloads.removeModel(id, version)),
  sweepOrphans: () => outcome(() => downloads.sweepOrphans()),
  loadSpiedText: (request: LoadRequest) => outcome(() => spiedText.load(request)),
  /** One generation on the spied engine: its pieces, stats and the ids the model received. */
  generateSpied: (messages: ChatMessage[], settings: GenerationSettings) =>
    outcome(async () => {
      const before = promptIds.length;
      const handle = spiedText.generate(messages, settings);
      const pieces: string[] = [];
      for await (const piece of handle.text) pieces.push(piece);
      const stats = await handle.done;
      // The channel's message may land after the reply's last one: wait a little (never forever).
      for (let i = 0; i < 100 && promptIds.length === before; i++)
        await new Promise((r) => setTimeout(r, 10));
      return { pieces, stats, received: promptIds.slice(before) };
    }),
  /** Starts a long generation and kills its worker once the first piece arrives. */
  generateAndKill: (messages: ChatMessage[], settings: GenerationSettings) =>
    outcome(async () => {
      const handle = engines.text.generate(messages, settings);
      for await (const _ of handle.text) {
        workers.at(-1)?.terminate();
        break;
      }
      return handle.done;
    }),
  /**
   * Kills the ONNX engine's worker behind its back, as a browser that ends an
   * idle worker would, and waits until the engine has noticed the death (the
   * worker's life lock is released), so the next call meets a known-dead worker.
   */
  killWorker: async () => {
    workers.at(-1)?.terminate();
    for (let i = 0; i < 200 && engines.onnx.running; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return workers.length;
  },
  workersStarted: () => workers.length,
  /** The Prompt API as this browser offers it, and what loading it gives. */
  builtin: () =>
    outcome(async () => ({
      report: await detectBuiltinModel(),
      load: await outcome(() => new BuiltinTextEngine().load()),
    })),
  /** The built-in engine end to end over the page's `LanguageModel`: load, then one generation. */
  builtinGenerate: (messages: ChatMessage[], settings: GenerationSettings) =>
    outcome(async () => {
      const engine = new BuiltinTextEngine();
      await engine.load();
      const handle = engine.generate(messages, settings);
      const pieces: string[] = [];
      for await (const piece of handle.text) pieces.push(piece);
      return { pieces, stats: await handle.done };
    }),
};

Object.assign(window, { harness });
export type RuntimeHarness = typeof harness;
