// Harness page of the inference benchmark (tests/bench/inference.bench.ts): installs
// packages through the app's download worker, generates through the app's
// WorkerTextEngine (ours) and through a plain transformers.js pipeline on this page
// that loads from the model server as its documentation shows (baseline), and drives
// the load-timing worker.
/// <reference types="vite/client" />
import { wrap } from 'comlink';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import '../../../src/bridge/transferErrors';
import { DownloadWorkerClient } from '../../../src/download/downloadWorkerClient';
import { WorkerTextEngine } from '../../../src/inference/textEngine';
import { DEFAULT_GENERATION, type TextDtype } from '../../../src/inference/types';
import type {
  BaselineRequest,
  BenchWorkerApi,
  GenerationRequest,
  GenerationRun,
  LoadRequestForBench,
  OursRequest,
} from './bench-inference.types';

const worker = wrap<BenchWorkerApi>(
  new Worker(new URL('./bench-inference.worker.ts', import.meta.url), {
    type: 'module',
    name: 'bench-inference',
  }),
);

type Generator = (
  text: string,
  options: Record<string, unknown>,
) => Promise<Array<{ generated_text: string }>>;
interface BaselinePipeline {
  tokenizer: ConstructorParameters<TextStreamerType>[0];
  dispose(): Promise<void>;
}

/**
 * transformers.js (and the onnxruntime inside it) in its own chunk: onnxruntime starts
 * its wasm threads as workers running the chunk it lives in, and the page's entry chunk
 * touches `document`, which a worker does not have.
 */
const transformers = () => import('@huggingface/transformers');
type TextStreamerType = Awaited<ReturnType<typeof transformers>>['TextStreamer'];

const ours = new Map<TextDtype, WorkerTextEngine>();
const baselines = new Map<TextDtype, BaselinePipeline & Generator>();
let baselineConfigured = false;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** transformers.js as its docs show for a self-hosted model: remote host, local wasm. */
async function configureBaseline(request: BaselineRequest): Promise<void> {
  if (baselineConfigured) return;
  const { env } = await transformers();
  baselineConfigured = true;
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = request.remoteHost;
  env.remotePathTemplate = '{model}/';
  const wasm = env.backends.onnx.wasm as { wasmPaths?: unknown; numThreads?: number };
  // The app's own copy of onnxruntime's .wasm, never a CDN; the thread count ours uses.
  wasm.wasmPaths = { wasm: new URL(ortWasmUrl, location.href).href };
  wasm.numThreads = request.threads;
}

const downloads = new DownloadWorkerClient();

const bench = {
  /** Installs a package the app's way: its download worker, into OPFS, verified. */
  install: (manifestUrl: string) =>
    timed(() => downloads.startDownload(manifestUrl, () => {})).then((ms) => ({ ms })),
  remove: (id: string, version: string) => downloads.removeModel(id, version),
  workerThreads: () => worker.threads(),
  workerSameOrt: () => worker.sameOrt(),

  async oursLoad(request: OursRequest): Promise<number> {
    const engine = new WorkerTextEngine();
    ours.set(request.dtype, engine);
    return timed(() =>
      engine.load({
        id: request.id,
        version: request.version,
        device: 'wasm',
        dtype: request.dtype,
      }),
    );
  },
  async oursGenerate(request: OursRequest): Promise<GenerationRun> {
    const engine = ours.get(request.dtype);
    if (!engine) throw new Error(`ours: ${request.dtype} not loaded`);
    const started = performance.now();
    let firstText = 0;
    const handle = engine.generate([{ role: 'user', content: request.prompt }], {
      ...DEFAULT_GENERATION,
      maxNewTokens: request.maxNewTokens,
      temperature: 0,
    });
    for await (const _ of handle.text) firstText ||= performance.now();
    const stats = await handle.done;
    return {
      tokens: stats.tokens,
      ttftMs: stats.timeToFirstTokenMs,
      tokensPerSec: stats.tokensPerSecond,
      totalMs: performance.now() - started,
      pageFirstTextMs: firstText ? firstText - started : 0,
      text: stats.text,
    };
  },
  async oursUnload(dtype: TextDtype): Promise<void> {
    await ours.get(dtype)?.unload();
    ours.delete(dtype);
  },

  async baselineLoad(request: BaselineRequest): Promise<number> {
    await configureBaseline(request);
    const { pipeline } = await transformers();
    return timed(async () => {
      const generator = await pipeline('text-generation', request.model, {
        dtype: request.dtype,
        device: 'wasm',
      });
      baselines.set(request.dtype, generator as unknown as BaselinePipeline & Generator);
    });
  },
  async baselineGenerate(
    request: GenerationRequest & { dtype: TextDtype },
  ): Promise<GenerationRun> {
    const generator = baselines.get(request.dtype);
    if (!generator) throw new Error(`baseline: ${request.dtype} not loaded`);
    const { TextStreamer } = await transformers();
    let tokens = 0;
    let firstAt = 0;
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      callback_function: () => {},
      token_callback_function: (ids: bigint[]) => {
        firstAt ||= performance.now();
        tokens += ids.length;
      },
    });
    const started = performance.now();
    const [out] = await generator(request.prompt, {
      max_new_tokens: request.maxNewTokens,
      do_sample: false,
      return_full_text: false,
      streamer,
    });
    const ended = performance.now();
    const decodeSeconds = (ended - firstAt) / 1000;
    return {
      tokens,
      ttftMs: firstAt ? firstAt - started : 0,
      tokensPerSec: tokens > 1 && decodeSeconds > 0 ? (tokens - 1) / decodeSeconds : 0,
      totalMs: ended - started,
      text: out?.generated_text ?? '',
    };
  },
  async baselineUnload(dtype: TextDtype): Promise<void> {
    await baselines.get(dtype)?.dispose();
    baselines.delete(dtype);
  },

  profileRuntime: (request: OursRequest) => worker.runtimeGenerate(request),
  profilePipeline: (request: OursRequest) => worker.pipelineGenerate(request),
  profileUnload: (dtype: TextDtype) => worker.unloadProfiles(dtype),
  loadSample: (request: LoadRequestForBench, sample: number) => worker.loadSample(request, sample),
};

export type BenchPage = typeof bench;
Object.assign(window, { benchInference: bench });
