// Load-timing worker of the inference benchmark: from stored bytes to a ready
// session, through the app's own TransformersRuntime (reading OPFS), against the
// baseline: onnxruntime-web's own InferenceSession.create from bytes already in
// memory (same ORT module and session options). Also the same runtime fed from
// memory and the bare OPFS read, to show where the time goes. Runs in a dedicated
// module worker, like the app's.
/// <reference types="vite/client" />
import { env } from '@huggingface/transformers';
import { expose } from 'comlink';
import * as ort from 'onnxruntime-web/webgpu';
import '../../../src/bridge/transferErrors';
import {
  fetchStoredModelFile,
  LOCAL_MODEL_ROOT,
  localModelName,
} from '../../../src/inference/runtimes/modelFetch';
import { defaultThreads } from '../../../src/inference/runtimes/ortEnvironment';
import { TransformersRuntime } from '../../../src/inference/runtimes/transformersRuntime';
import { readModelFile } from '../../../src/storage/modelFiles';
import { pipelineGenerate, runtimeGenerate, unloadProfiles } from './bench-inference.profile';
import type { BenchWorkerApi, LoadRequestForBench, LoadSample } from './bench-inference.types';

// Configures transformers.js and onnxruntime exactly as the app's worker does.
const runtime = new TransformersRuntime();

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Every file of the package as bytes in memory, keyed by its local URL path. */
async function readAll(request: LoadRequestForBench): Promise<Map<string, Uint8Array>> {
  const prefix = `${LOCAL_MODEL_ROOT}${localModelName(request.id, request.version)}/`;
  const bytes = new Map<string, Uint8Array>();
  for (const path of request.files) {
    const file = await readModelFile(request.id, request.version, path);
    bytes.set(prefix + path, new Uint8Array(await file.arrayBuffer()));
  }
  return bytes;
}

/** A fetch answering the runtime's local model URLs from memory. */
function memoryFetch(bytes: Map<string, Uint8Array>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.startsWith('/') ? url : new URL(url, self.location.href).pathname;
    const data = bytes.get(path);
    if (!data) return new Response(null, { status: 404 });
    return new Response(data as Uint8Array<ArrayBuffer>, {
      headers: { 'Content-Length': String(data.byteLength) },
    });
  }) as typeof fetch;
}

async function runtimeLoad(request: LoadRequestForBench): Promise<number> {
  const ms = await timed(() =>
    runtime.load({
      id: request.id,
      version: request.version,
      device: 'wasm',
      dtype: request.dtype,
    }),
  );
  await runtime.unload();
  return ms;
}

async function ortSession(
  model: Uint8Array,
  externalData: { path: string; data: Uint8Array | Blob }[],
): Promise<void> {
  // The options transformers.js passes for ours on wasm (createInferenceSession):
  // its default log level (WARNING → severity 3), the EP and the external data.
  const session = await ort.InferenceSession.create(model, {
    logSeverityLevel: 3,
    executionProviders: ['wasm'],
    externalData: externalData as ort.InferenceSession.SessionOptions['externalData'],
  });
  await session.release();
}

const steps: Record<keyof LoadSample, (r: LoadRequestForBench) => Promise<number>> = {
  opfs: async (request) => {
    env.fetch = fetchStoredModelFile as typeof fetch;
    return runtimeLoad(request);
  },
  memory: async (request) => {
    env.fetch = memoryFetch(await readAll(request));
    try {
      return await runtimeLoad(request);
    } finally {
      env.fetch = fetchStoredModelFile as typeof fetch;
    }
  },
  ortMemory: async (request) => {
    const bytes = await readAll(request);
    const prefix = `${LOCAL_MODEL_ROOT}${localModelName(request.id, request.version)}/`;
    const model = bytes.get(prefix + request.onnxFile) as Uint8Array;
    const externalData = request.externalData.map((path) => ({
      path: path.slice(path.lastIndexOf('/') + 1),
      data: bytes.get(prefix + path) as Uint8Array,
    }));
    return timed(() => ortSession(model, externalData));
  },
  ortOpfsFile: (request) =>
    timed(async () => {
      const model = await readModelFile(request.id, request.version, request.onnxFile);
      const externalData = await Promise.all(
        request.externalData.map(async (path) => ({
          path: path.slice(path.lastIndexOf('/') + 1),
          data: await readModelFile(request.id, request.version, path),
        })),
      );
      await ortSession(new Uint8Array(await model.arrayBuffer()), externalData);
    }),
  opfsRead: (request) =>
    timed(async () => {
      for (const path of request.files) {
        await (await readModelFile(request.id, request.version, path)).arrayBuffer();
      }
    }),
};

/** Collects the last step's garbage first when the browser exposes gc (--js-flags=--expose-gc). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const api: BenchWorkerApi = {
  threads: () => (ort.env.wasm.numThreads as number | undefined) ?? defaultThreads(),
  // One module instance: transformers.js shares onnxruntime-web's env.wasm object.
  sameOrt: () => (env.backends.onnx as { wasm?: unknown }).wasm === ort.env.wasm,
  async loadSample(request, sample) {
    // Rotate the order per sample, so no way always runs right after another.
    const names = Object.keys(steps) as (keyof LoadSample)[];
    const order = names.map((_, i) => names[(i + sample) % names.length] as keyof LoadSample);
    const result = {} as LoadSample;
    for (const name of order) {
      collectGarbage();
      result[name] = await steps[name](request);
    }
    return result;
  },
  runtimeGenerate,
  pipelineGenerate,
  unloadProfiles,
};

expose(api);
