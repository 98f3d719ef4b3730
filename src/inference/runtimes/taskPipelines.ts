// Task pipelines with transformers.js, inside its worker: embeddings, image
// classification and object detection from a stored Hub model, read through
// the same OPFS fetch hook as text generation (never the network).

import { pipeline, RawImage } from '@huggingface/transformers';
import { AppError } from '../../core/errors';
import { checkPipelineInput } from '../../core/tasks/pipelineInput';
import { checkInstalledModel } from '../../storage/modelDamage';
import type {
  Detection,
  LabelScore,
  LoadedPipeline,
  PipelineInput,
  PipelineLoadRequest,
  PipelineOutput,
  RgbaImage,
} from '../types';
import { localModelPath } from './modelFetch';
import { runtimeFailure } from './runtimeErrors';

/** The slice of a transformers.js pipeline used here (its typings are per task). */
interface AnyPipeline {
  (input: unknown, options?: Record<string, unknown>): Promise<unknown>;
  dispose(): Promise<void>;
}

export class TaskPipelines {
  private current: {
    request: PipelineLoadRequest;
    pipe: AnyPipeline;
    info: LoadedPipeline;
  } | null = null;

  async load(request: PipelineLoadRequest): Promise<LoadedPipeline> {
    if (this.current && samePipeline(this.current.request, request)) return this.current.info;
    const started = performance.now();
    // Every stored file's size first: a damaged model is `model-damaged`, not a runtime's riddle.
    await checkInstalledModel(request.id, request.version);
    await this.unload();
    try {
      const pipe = (await pipeline(request.task, localModelPath(request.id, request.version), {
        device: request.device,
        dtype: request.dtype,
      })) as unknown as AnyPipeline;
      const info: LoadedPipeline = {
        runtime: 'transformers.js',
        task: request.task,
        backend: request.device,
        dtype: request.dtype,
        loadMs: performance.now() - started,
      };
      this.current = { request, pipe, info };
      return info;
    } catch (error) {
      throw runtimeFailure(error, 'model-load-failed', {
        id: request.id,
        version: request.version,
        task: request.task,
        backend: request.device,
        dtype: request.dtype,
      });
    }
  }

  async run(input: PipelineInput): Promise<PipelineOutput> {
    const current = this.current;
    if (!current) throw new AppError('model-not-installed', { reason: 'no model loaded' });
    checkPipelineInput(input, current.request.task);
    const { pipe } = current;
    try {
      switch (input.task) {
        case 'feature-extraction': {
          const out = (await pipe(input.texts, { pooling: 'mean', normalize: true })) as {
            tolist(): number[][];
          };
          return { task: input.task, vectors: out.tolist() };
        }
        case 'image-classification': {
          const out = (await pipe(rawImage(input.image), { top_k: input.topK })) as LabelScore[];
          return { task: input.task, labels: out.map(({ label, score }) => ({ label, score })) };
        }
        case 'object-detection': {
          // Fractions of the photo: the page scales them to what it shows, and
          // nothing is truncated to whole pixels (the pipeline's pixel mode does).
          const out = (await pipe(rawImage(input.image), {
            threshold: input.threshold,
            percentage: true,
          })) as Detection[];
          return {
            task: input.task,
            detections: out.map(({ label, score, box }) => ({ label, score, box: { ...box } })),
          };
        }
      }
    } catch (error) {
      throw runtimeFailure(error, 'inference-failed', { task: input.task });
    }
  }

  async unload(): Promise<void> {
    const current = this.current;
    this.current = null;
    await current?.pipe.dispose();
  }
}

function rawImage({ data, width, height }: RgbaImage): RawImage {
  return new RawImage(data, width, height, 4);
}

function samePipeline(a: PipelineLoadRequest, b: PipelineLoadRequest): boolean {
  return (
    a.id === b.id &&
    a.version === b.version &&
    a.task === b.task &&
    a.device === b.device &&
    a.dtype === b.dtype
  );
}
