// Harness page of the peer benchmark (tests/bench/peers.bench.ts): ours (the app's
// download worker into OPFS, then WorkerTextEngine) against llama.cpp compiled to wasm
// (@wllama/wllama, its own .wasm served with this page, threads under cross-origin
// isolation) on the same weights as GGUF. The prompt goes to both as text; the page
// also encodes it with the model's tokenizer.json (transformers.js), so the bench can
// check that llama.cpp, with the GGUF's copy of that vocab, counted the same tokens.
/// <reference types="vite/client" />
import { type RawCompletionParams, type ResultTimings, Wllama } from '@wllama/wllama';
import wllamaWasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import '../../../src/bridge/transferErrors';
import { DownloadWorkerClient } from '../../../src/download/downloadWorkerClient';
import { canUseThreads } from '../../../src/inference/runtimes/ortEnvironment';
import { WorkerTextEngine } from '../../../src/inference/textEngine';
import { DEFAULT_GENERATION, type LoadRequest, type TextDtype } from '../../../src/inference/types';

export interface PeerRun {
  /** New tokens generated. */
  tokens: number;
  /** Milliseconds from the call to the first new token. */
  ttftMs: number;
  /** New tokens after the first, per second of the time after the first. */
  tokensPerSec: number;
  /** The new text (ours: decoded with tokenizer.json; the peer: with the GGUF's vocab). */
  text: string;
  /** The peer's own timings (llama.cpp's server), when it reports them. */
  engine?: { promptMs: number; promptTokens: number; predictedPerSecond: number };
}

/** transformers.js in its own chunk (see bench-inference.ts: workers of onnxruntime). */
const transformers = () => import('@huggingface/transformers');
type Tokenizer = Awaited<
  ReturnType<Awaited<ReturnType<typeof transformers>>['AutoTokenizer']['from_pretrained']>
>;

const downloads = new DownloadWorkerClient();
let ours: WorkerTextEngine | null = null;
let peer: Wllama | null = null;
let tokenizer: Tokenizer | null = null;
let oursThreads = 0;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const bench = {
  crossOriginIsolated: () => self.crossOriginIsolated,
  /** Installs as the Models screen does for a model planned for wasm (q4: its int8 graph is derived). */
  install: (manifestUrl: string, dtype: TextDtype) =>
    timed(() =>
      downloads.startDownload(manifestUrl, () => {}, { plannedRun: { device: 'wasm', dtype } }),
    ),
  remove: (id: string, version: string) => downloads.removeModel(id, version),

  /** The model's tokenizer.json, from the model server, as transformers.js reads it. */
  async loadTokenizer(remoteHost: string, model: string): Promise<void> {
    const { env, AutoTokenizer } = await transformers();
    env.allowLocalModels = false;
    env.remoteHost = remoteHost;
    env.remotePathTemplate = '{model}/';
    tokenizer = await AutoTokenizer.from_pretrained(model);
  },
  encode(text: string): number[] {
    if (!tokenizer) throw new Error('no tokenizer loaded');
    return tokenizer.encode(text);
  },

  /**
   * Loads in a new engine, so a new worker: onnxruntime takes the request's `threads`
   * (as the planner's would reach it) only before its first session.
   */
  async oursLoad(
    id: string,
    version: string,
    dtype: TextDtype,
    threads: number,
    q4Rewrite?: LoadRequest['q4Rewrite'],
  ): Promise<number> {
    ours = new WorkerTextEngine();
    oursThreads = 0;
    const engine = ours;
    const request: LoadRequest = {
      id,
      version,
      device: 'wasm',
      dtype,
      threads,
      ...(q4Rewrite ? { q4Rewrite } : {}),
    };
    const ms = await timed(async () => {
      const report = await engine.load(request);
      // Which 4-bit graph ran (BENCH_VERBOSE=1 prints it): derived at install or rewritten now.
      console.info(`ours load report: ${JSON.stringify(report)}`);
    });
    // onnxruntime falls back to one thread where wasm threads cannot work.
    oursThreads = canUseThreads() ? (request.threads ?? 0) : 1;
    return ms;
  },
  /** The thread count of ours' last load: its LoadRequest's (1 without wasm threads). */
  oursThreads: () => oursThreads,
  async oursGenerate(prompt: string, maxNewTokens: number): Promise<PeerRun> {
    if (!ours) throw new Error('ours: not loaded');
    const handle = ours.generate([{ role: 'user', content: prompt }], {
      ...DEFAULT_GENERATION,
      maxNewTokens,
      temperature: 0,
    });
    for await (const _ of handle.text);
    const stats = await handle.done;
    return {
      tokens: stats.tokens,
      ttftMs: stats.timeToFirstTokenMs,
      tokensPerSec: stats.tokensPerSecond,
      text: stats.text,
    };
  },
  async oursUnload(): Promise<void> {
    await ours?.unload();
    ours = null;
  },

  /** Fetches the GGUF (not timed), then times llama.cpp's load from the Blob. */
  async peerLoad(ggufUrl: string, threads: number, nCtx: number): Promise<number> {
    const blob = await (await fetch(ggufUrl)).blob();
    peer = new Wllama(
      { default: new URL(wllamaWasmUrl, location.href).href },
      { suppressNativeLog: true },
    );
    const instance = peer;
    const ms = await timed(() =>
      instance.loadModel([blob], { n_ctx: nCtx, n_batch: 512, n_threads: threads }),
    );
    return ms;
  },
  peerThreads: () => ({
    multithread: peer?.isMultithread() ?? false,
    threads: peer?.getNumThreads() ?? 0,
  }),
  /**
   * Greedy completion of `prompt` by llama.cpp. wllama 3's server API takes the prompt
   * as text (a prompt of token ids makes its completion call fail), so the prompt goes as
   * text and the tokens llama.cpp counted are returned for the caller to check against
   * the ids of the model's tokenizer.json.
   */
  async peerGenerate(prompt: string, maxNewTokens: number): Promise<PeerRun> {
    if (!peer) throw new Error('peer: not loaded');
    let text = '';
    let firstAt = 0;
    let timings: ResultTimings | undefined;
    const started = performance.now();
    const chunks = await peer.createCompletion({
      prompt,
      max_tokens: maxNewTokens,
      temperature: 0,
      stream: true,
      cache_prompt: false,
    } as RawCompletionParams & { stream: true });
    for await (const chunk of chunks) {
      const piece = chunk.choices[0]?.text ?? '';
      if (piece) firstAt ||= performance.now();
      text += piece;
      timings = chunk.timings ?? timings;
    }
    const ended = performance.now();
    const tokens = timings?.predicted_n ?? 0;
    const decodeSeconds = (ended - firstAt) / 1000;
    return {
      tokens,
      ttftMs: firstAt ? firstAt - started : 0,
      tokensPerSec: tokens > 1 && decodeSeconds > 0 ? (tokens - 1) / decodeSeconds : 0,
      text,
      engine: timings && {
        promptMs: timings.prompt_ms,
        promptTokens: timings.prompt_n,
        predictedPerSecond: timings.predicted_per_second,
      },
    };
  },
  async peerUnload(): Promise<void> {
    await peer?.exit();
    peer = null;
  },
};

export type PeersPage = typeof bench;
Object.assign(window, { benchPeers: bench });
