// Extra configurations for the inference benchmark's profile mode (BENCH_PROFILE=1),
// run in the load-timing worker: the app's TransformersRuntime called directly (no
// page hop, no streaming callback) and a plain transformers.js pipeline in a worker,
// so ours and the baseline can be compared one difference at a time.
import { pipeline, TextStreamer } from '@huggingface/transformers';
import { localModelName } from '../../../src/inference/runtimes/modelFetch';
import { TransformersRuntime } from '../../../src/inference/runtimes/transformersRuntime';
import { DEFAULT_GENERATION, type TextDtype } from '../../../src/inference/types';
import type { GenerationRun, OursRequest } from './bench-inference.types';

type Generator = ((
  text: string,
  options: Record<string, unknown>,
) => Promise<Array<{ generated_text: string }>>) & {
  tokenizer: ConstructorParameters<typeof TextStreamer>[0];
  dispose(): Promise<void>;
};

const runtimes = new Map<TextDtype, TransformersRuntime>();
const pipelines = new Map<TextDtype, Generator>();

/** The app's runtime without the page: same code as ours, minus comlink and the engine. */
export async function runtimeGenerate(request: OursRequest): Promise<GenerationRun> {
  let runtime = runtimes.get(request.dtype);
  if (!runtime) {
    runtime = new TransformersRuntime();
    const { id, version, dtype } = request;
    await runtime.load({ id, version, device: 'wasm', dtype });
    runtimes.set(request.dtype, runtime);
  }
  const started = performance.now();
  const stats = await runtime.generate(
    [{ role: 'user', content: request.prompt }],
    { ...DEFAULT_GENERATION, maxNewTokens: request.maxNewTokens, temperature: 0 },
    () => {},
  );
  return {
    tokens: stats.tokens,
    ttftMs: stats.timeToFirstTokenMs,
    tokensPerSec: stats.tokensPerSecond,
    totalMs: performance.now() - started,
    text: stats.text,
  };
}

/** The baseline's pipeline code, but in this worker, reading the stored files. */
export async function pipelineGenerate(request: OursRequest): Promise<GenerationRun> {
  let generator = pipelines.get(request.dtype);
  if (!generator) {
    generator = (await pipeline('text-generation', localModelName(request.id, request.version), {
      dtype: request.dtype,
      device: 'wasm',
    })) as unknown as Generator;
    pipelines.set(request.dtype, generator);
  }
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
}

export async function unloadProfiles(dtype: TextDtype): Promise<void> {
  await runtimes.get(dtype)?.unload();
  await pipelines.get(dtype)?.dispose();
  runtimes.delete(dtype);
  pipelines.delete(dtype);
}
