// Text generation and task pipelines with transformers.js, inside the inference
// worker. Model bytes come from OPFS through a fetch hook; the onnxruntime .wasm
// comes from the app's own origin. Nothing is fetched from a hub or a CDN.

import {
  AutoModelForCausalLM,
  AutoTokenizer,
  BaseStreamer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  StoppingCriteria,
  StoppingCriteriaList,
  Tensor,
} from '@huggingface/transformers';
import { fitConversation } from '../../core/contextFit';
import { AppError } from '../../core/errors';
import { externalDataFor } from '../../core/onnxExternalData';
import { checkInstalledModel } from '../../storage/modelDamage';
import type {
  Backend,
  ChatMessage,
  GenerationSettings,
  GenerationStats,
  LoadedPipeline,
  LoadRequest,
  PipelineInput,
  PipelineLoadRequest,
  PipelineOutput,
  PipelineRuntime,
  TextLoadReport,
  TextRuntime,
} from '../types';
import { derivedGraphFetch, openDerivedQ4 } from './derivedQ4Graph';
import { generationOptions } from './generationOptions';
import { fetchStoredModelFile, LOCAL_MODEL_ROOT, localModelPath } from './modelFetch';
import { type ConfigureOptions, configureOrtWasm, type OrtWasmFlags } from './ortEnvironment';
import { q4RewritingFetch } from './q4Rewrite';
import { runtimeFailure } from './runtimeErrors';
import { sessionMemoryOptions } from './sessionMemoryOptions';
import { type OpenedExternalData, openExternalData } from './storedExternalData';
import { TaskPipelines } from './taskPipelines';
import { TextDelta } from './textDelta';

function configureEnvironment() {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = LOCAL_MODEL_ROOT;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.fetch = fetchStoredModelFile as typeof fetch;
  configureOnnxRuntime({});
}

/** The same onnxruntime-web (and `.wasm` builds) as the ONNX runtime: see ortEnvironment. */
function configureOnnxRuntime(options: ConfigureOptions) {
  const onnx = env.backends.onnx as { wasm?: OrtWasmFlags };
  if (onnx.wasm) configureOrtWasm(onnx.wasm, options);
}

/**
 * Stops generation when asked. A worker busy in a generation loop may not read
 * messages until it ends, so the page also sets a shared flag, read here at
 * every token; without cross-origin isolation only the message path exists.
 */
class StopRequest extends StoppingCriteria {
  requested = false;
  flag: Int32Array | null = null;

  get interrupted(): boolean {
    return this.requested || (this.flag !== null && Atomics.load(this.flag, 0) === 1);
  }

  reset(flag: Int32Array | null) {
    this.requested = false;
    this.flag = flag;
  }

  override _call(inputIds: number[][]): boolean[] {
    return new Array(inputIds.length).fill(this.interrupted);
  }
}

/** Reports each new token to the caller and counts them. */
class CallbackStreamer extends BaseStreamer {
  tokens = 0;
  firstTokenAt = 0;
  private promptSeen = false;

  constructor(
    private readonly delta: TextDelta,
    private readonly onText: (text: string) => void,
  ) {
    super();
  }

  override put(value: bigint[][]): void {
    // The first call carries the prompt; only later calls are new tokens.
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    const ids = (value[0] ?? []).map(Number);
    if (this.tokens === 0) this.firstTokenAt = performance.now();
    this.tokens += ids.length;
    const text = this.delta.push(ids);
    if (text) this.onText(text);
  }

  override end(): void {}
}

export class TransformersRuntime implements TextRuntime, PipelineRuntime {
  private model: PreTrainedModel | null = null;
  private tokenizer: PreTrainedTokenizer | null = null;
  private loaded: LoadRequest | null = null;
  private report: TextLoadReport | null = null;
  private stopper = new StopRequest();
  private readonly pipelines = new TaskPipelines();

  constructor() {
    configureEnvironment();
  }

  /**
   * The onnxruntime build for this load's backend and the planner's thread count,
   * fixed by the worker's first session (a load that needs another build is refused:
   * the page gives it a fresh worker).
   */
  private fixOnnxRuntime(request: { device: Backend; threads?: number }): void {
    configureOnnxRuntime({
      backend: request.device,
      fix: true,
      ...(request.threads ? { threads: request.threads } : {}),
    });
  }

  /** A task pipeline (embeddings, image classification, detection) of a stored Hub model. */
  loadPipeline(request: PipelineLoadRequest): Promise<LoadedPipeline> {
    this.fixOnnxRuntime(request);
    return this.pipelines.load(request);
  }

  runPipeline(input: PipelineInput): Promise<PipelineOutput> {
    return this.pipelines.run(input);
  }

  async load(request: LoadRequest): Promise<TextLoadReport> {
    if (this.loaded && this.report && sameModel(this.loaded, request)) return this.report;
    this.fixOnnxRuntime(request);
    // Every stored file's size first: a damaged model is `model-damaged`, not a runtime's riddle.
    const installed = await checkInstalledModel(request.id, request.version);
    await this.unload();
    // onnxruntime's wasm MatMulNBits dequantizes to fp32 on every call; WebGPU has a real kernel.
    const rewrite = request.q4Rewrite ?? 'int8';
    const rewriteQ4 = request.device === 'wasm' && request.dtype === 'q4' && rewrite !== 'off';
    const report: TextLoadReport = { loadTimeRewrites: 0 };
    if (request.device === 'wasm' && request.dtype === 'q4') report.q4Graph = 'stored';
    if (rewriteQ4 && rewrite === 'int8') {
      // The int8 graph made once at install, if it is there and intact (else: rewrite now).
      const derived = await openDerivedQ4(installed);
      if (derived.ok) {
        try {
          await this.loadGraphs(request, derived.external, derivedGraphFetch(derived.graphs), 'q8');
          this.report = { ...report, q4Graph: 'derived' };
          return this.report;
        } catch (error) {
          // A derived file damaged in a way its size does not show: never a broken load.
          report.derivedRejected = `the session failed on it: ${String(error)}`;
        } finally {
          derived.external.close();
        }
      } else report.derivedRejected = derived.reason;
    }
    const paths = installed.manifest.files.map((f) => f.path);
    // External data goes to onnxruntime as we open it (read from OPFS tensor by
    // tensor), not as transformers.js would fetch it (one JS copy of the weights).
    const external = await openExternalData(installed, externalDataFor(paths, request.dtype));
    try {
      const fetch = rewriteQ4
        ? q4RewritingFetch(rewrite, (r) => {
            if (r.rewritten > 0) report.loadTimeRewrites++;
          })
        : fetchStoredModelFile;
      await this.loadGraphs(request, external, fetch);
    } finally {
      external.close();
    }
    if (report.loadTimeRewrites > 0) report.q4Graph = 'rewritten-at-load';
    this.report = report;
    return report;
  }

  /** The tokenizer and model, transformers.js reading graphs through `fetch`. */
  private async loadGraphs(
    request: LoadRequest,
    external: OpenedExternalData,
    fetch: (input: RequestInfo | URL) => Promise<Response>,
    /** What the graph runs as, for memory options: the derived int8 graph is q8's pattern. */
    graphDtype: string = request.dtype,
  ): Promise<void> {
    const name = localModelPath(request.id, request.version);
    try {
      this.tokenizer = await AutoTokenizer.from_pretrained(name);
      env.fetch = fetch as typeof globalThis.fetch;
      this.model = await AutoModelForCausalLM.from_pretrained(name, {
        device: request.device,
        dtype: request.dtype,
        ...(external.entries.length > 0 ? { use_external_data_format: false } : {}),
        session_options: {
          ...sessionMemoryOptions(graphDtype),
          ...(external.entries.length > 0 ? { externalData: external.entries } : {}),
        },
      } as Parameters<typeof AutoModelForCausalLM.from_pretrained>[1]);
      this.loaded = request;
    } catch (error) {
      await this.unload().catch(() => {});
      throw runtimeFailure(error, 'model-load-failed', {
        id: request.id,
        version: request.version,
        backend: request.device,
        dtype: request.dtype,
      });
    } finally {
      env.fetch = fetchStoredModelFile as typeof globalThis.fetch;
    }
  }

  async generate(
    messages: ChatMessage[],
    settings: GenerationSettings,
    onText: (text: string) => void,
    stopFlag?: Int32Array,
  ): Promise<GenerationStats> {
    const { model, tokenizer } = this;
    if (!model || !tokenizer)
      throw new AppError('model-not-installed', { reason: 'no model loaded' });
    const started = performance.now();
    const contextTokens = contextWindow(model, tokenizer);
    let inputIds: number[];
    let fitted: { droppedMessages: number; maxNewTokens: number };
    try {
      // The prompt is fitted to the context here, where tokens can be counted: a
      // prompt past the window would otherwise fail deep inside the runtime.
      const fit = fitConversation({
        messages,
        contextTokens,
        maxNewTokens: settings.maxNewTokens,
        countTokens: (kept) => this.encode(tokenizer, kept).length,
      });
      if (!fit.fits) {
        throw new AppError('prompt-too-long', {
          promptTokens: fit.promptTokens,
          contextTokens,
          reason: `about ${fit.promptTokens} tokens; this model reads at most ${contextTokens}, its reply included`,
        });
      }
      inputIds = this.encode(tokenizer, fit.messages);
      fitted = fit;
    } catch (error) {
      if (AppError.is(error, 'prompt-too-long')) throw error;
      throw runtimeFailure(error, 'generation-failed', { step: 'encode the prompt' });
    }
    const limited: GenerationSettings = { ...settings, maxNewTokens: fitted.maxNewTokens };
    const anchor = inputIds.length > 0 ? (inputIds[inputIds.length - 1] ?? null) : null;
    const delta = new TextDelta(
      (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
      anchor,
    );
    const streamer = new CallbackStreamer(delta, onText);
    this.stopper.reset(stopFlag ?? null);
    const criteria = new StoppingCriteriaList();
    criteria.push(this.stopper);
    let kvCacheLocation: string | undefined;
    try {
      const result = (await model.generate({
        input_ids: tensorOf(inputIds),
        attention_mask: tensorOf(inputIds.map(() => 1)),
        ...generationOptions(limited),
        stopping_criteria: criteria,
        streamer,
        // Returns the cache, so we can report where it lived (GPU with WebGPU).
        return_dict_in_generate: true,
      } as unknown as Parameters<PreTrainedModel['generate']>[0])) as unknown as {
        past_key_values?: { dispose(): Promise<void> } & Record<string, unknown>;
      };
      kvCacheLocation = cacheLocation(result.past_key_values);
      await result.past_key_values?.dispose();
    } catch (error) {
      throw runtimeFailure(error, 'generation-failed', {});
    }
    const elapsed = (performance.now() - (streamer.firstTokenAt || started)) / 1000;
    return {
      text: delta.text(),
      tokens: streamer.tokens,
      timeToFirstTokenMs: streamer.firstTokenAt ? streamer.firstTokenAt - started : 0,
      tokensPerSecond: streamer.tokens > 1 && elapsed > 0 ? (streamer.tokens - 1) / elapsed : 0,
      stoppedBy: this.stopper.interrupted
        ? 'interrupted'
        : streamer.tokens >= limited.maxNewTokens
          ? 'max-tokens'
          : 'eos',
      ...(kvCacheLocation ? { kvCacheLocation } : {}),
      context: {
        contextTokens,
        promptTokens: inputIds.length,
        droppedMessages: fitted.droppedMessages,
      },
    };
  }

  interrupt(): void {
    this.stopper.requested = true;
  }

  async unload(): Promise<void> {
    const model = this.model;
    this.model = null;
    this.tokenizer = null;
    this.loaded = null;
    this.report = null;
    await Promise.all([model?.dispose(), this.pipelines.unload()]);
  }

  /**
   * Chat models get their chat template; plain language models continue the last
   * message. A last message from the assistant is a reply being continued: its
   * text follows the prompt as if the model had written it so far.
   */
  private encode(tokenizer: PreTrainedTokenizer, messages: ChatMessage[]): number[] {
    const last = messages.at(-1);
    const partial = last?.role === 'assistant' ? last.content : null;
    const asked = partial === null ? messages : messages.slice(0, -1);
    if (tokenizer.chat_template) {
      const ids = tokenizer.apply_chat_template(asked, {
        add_generation_prompt: true,
        tokenize: true,
        return_tensor: false,
        return_dict: false,
      }) as unknown as number[] | number[][];
      const prompt = ids.flat().map(Number);
      return partial
        ? [...prompt, ...tokenizer.encode(partial, { add_special_tokens: false })]
        : prompt;
    }
    const user = asked.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    return tokenizer.encode(partial ? user + partial : user);
  }
}

/** Tokens the model reads at once: the smaller of its position limit and the tokenizer's. */
function contextWindow(model: PreTrainedModel, tokenizer: PreTrainedTokenizer): number {
  const config = model.config as unknown as Record<string, unknown>;
  const limits = [
    config.max_position_embeddings,
    config.n_positions,
    config.max_sequence_length,
    (tokenizer as unknown as { model_max_length?: unknown }).model_max_length,
  ].filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0);
  // Tokenizers without a limit report a huge sentinel (1e30): the model's own wins.
  return limits.length > 0 ? Math.min(...limits) : DEFAULT_CONTEXT_TOKENS;
}

/** When a model states no limit: small enough for any model this app runs. */
const DEFAULT_CONTEXT_TOKENS = 2048;

function sameModel(a: LoadRequest, b: LoadRequest): boolean {
  return (
    a.id === b.id &&
    a.version === b.version &&
    a.device === b.device &&
    a.dtype === b.dtype &&
    (a.q4Rewrite ?? 'int8') === (b.q4Rewrite ?? 'int8')
  );
}

function cacheLocation(cache: Record<string, unknown> | undefined): string | undefined {
  const first = cache && Object.values(cache).find((v) => v instanceof Tensor);
  return first instanceof Tensor ? first.location : undefined;
}

function tensorOf(values: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
}
