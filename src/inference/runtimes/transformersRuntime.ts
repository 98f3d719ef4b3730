// Text generation with transformers.js, inside the inference worker. Model
// bytes come from OPFS through a fetch hook; the onnxruntime .wasm comes from
// the app's own origin. Nothing is fetched from a hub or a CDN.

import {
  AutoModelForCausalLM,
  AutoTokenizer,
  BaseStreamer,
  env,
  InterruptableStoppingCriteria,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  StoppingCriteriaList,
  Tensor,
} from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { AppError } from '../../core/errors';
import type {
  ChatMessage,
  GenerationSettings,
  GenerationStats,
  LoadRequest,
  TextRuntime,
} from '../types';
import { fetchStoredModelFile, LOCAL_MODEL_ROOT, localModelName } from './modelFetch';
import { TextDelta } from './textDelta';

function configureEnvironment() {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = LOCAL_MODEL_ROOT;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.fetch = fetchStoredModelFile as typeof fetch;
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
  if (onnx.wasm) {
    onnx.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, location.href).href };
    // Threads need SharedArrayBuffer, which needs cross-origin isolation.
    onnx.wasm.numThreads = self.crossOriginIsolated
      ? Math.min(4, navigator.hardwareConcurrency || 1)
      : 1;
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

export class TransformersRuntime implements TextRuntime {
  private model: PreTrainedModel | null = null;
  private tokenizer: PreTrainedTokenizer | null = null;
  private loaded: LoadRequest | null = null;
  private stopper = new InterruptableStoppingCriteria();

  constructor() {
    configureEnvironment();
  }

  async load(request: LoadRequest): Promise<void> {
    if (this.loaded && sameModel(this.loaded, request)) return;
    await this.unload();
    const name = localModelName(request.id, request.version);
    try {
      this.tokenizer = await AutoTokenizer.from_pretrained(name);
      this.model = await AutoModelForCausalLM.from_pretrained(name, {
        device: request.device,
        dtype: request.dtype,
      });
      this.loaded = request;
    } catch (error) {
      await this.unload();
      throw AppError.from(error, 'model-load-failed', { id: request.id, version: request.version });
    }
  }

  async generate(
    messages: ChatMessage[],
    settings: GenerationSettings,
    onText: (text: string) => void,
  ): Promise<GenerationStats> {
    const { model, tokenizer } = this;
    if (!model || !tokenizer)
      throw new AppError('model-not-installed', { reason: 'no model loaded' });
    const started = performance.now();
    const inputIds = this.encode(tokenizer, messages);
    const anchor = inputIds.length > 0 ? (inputIds[inputIds.length - 1] ?? null) : null;
    const delta = new TextDelta(
      (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
      anchor,
    );
    const streamer = new CallbackStreamer(delta, onText);
    this.stopper.reset();
    const criteria = new StoppingCriteriaList();
    criteria.push(this.stopper);
    const greedy = settings.temperature <= 0;
    try {
      await model.generate({
        input_ids: tensorOf(inputIds),
        attention_mask: tensorOf(inputIds.map(() => 1)),
        max_new_tokens: settings.maxNewTokens,
        do_sample: !greedy,
        ...(greedy
          ? {}
          : { temperature: settings.temperature, top_p: settings.topP, top_k: settings.topK }),
        repetition_penalty: settings.repetitionPenalty,
        stopping_criteria: criteria,
        streamer,
      } as unknown as Parameters<PreTrainedModel['generate']>[0]);
    } catch (error) {
      throw AppError.from(error, 'generation-failed');
    }
    const elapsed = (performance.now() - (streamer.firstTokenAt || started)) / 1000;
    return {
      text: delta.text(),
      tokens: streamer.tokens,
      timeToFirstTokenMs: streamer.firstTokenAt ? streamer.firstTokenAt - started : 0,
      tokensPerSecond: streamer.tokens > 1 && elapsed > 0 ? (streamer.tokens - 1) / elapsed : 0,
      stoppedBy: this.stopper.interrupted
        ? 'interrupted'
        : streamer.tokens >= settings.maxNewTokens
          ? 'max-tokens'
          : 'eos',
    };
  }

  interrupt(): void {
    this.stopper.interrupt();
  }

  async unload(): Promise<void> {
    const model = this.model;
    this.model = null;
    this.tokenizer = null;
    this.loaded = null;
    await model?.dispose();
  }

  /** Chat models get their chat template; plain language models continue the last message. */
  private encode(tokenizer: PreTrainedTokenizer, messages: ChatMessage[]): number[] {
    if (tokenizer.chat_template) {
      const ids = tokenizer.apply_chat_template(messages, {
        add_generation_prompt: true,
        tokenize: true,
        return_tensor: false,
      }) as unknown as number[];
      return ids.map(Number);
    }
    const last = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    return tokenizer.encode(last);
  }
}

function sameModel(a: LoadRequest, b: LoadRequest): boolean {
  return a.id === b.id && a.version === b.version && a.device === b.device && a.dtype === b.dtype;
}

function tensorOf(values: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
}
