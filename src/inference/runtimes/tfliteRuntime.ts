// TFLite models inside the TFLite (classic) worker: LiteRT.js first, on WebGPU
// or WASM as requested; tfjs-tflite (WASM) where LiteRT.js cannot run the
// model (int8 tensors, shapes known only at run time, custom ops) or when the
// page asks for it after a LiteRT.js run failed. The model reports which one
// runs it, and why a fallback was taken.

import { transfer } from 'comlink';
import { AppError } from '../../core/errors';
import { runTimeShapedOutput, tfliteTensors } from '../../core/tfliteTensors';
import { readModelFile } from '../../storage/modelFiles';
import { checkTensor, type NamedTensors, type TensorData, tensorBuffers } from '../tensorData';
import type {
  KeptOutput,
  LoadedModel,
  RunOptions,
  TensorLoadRequest,
  TensorRuntime,
} from '../types';
import { LitertModel } from './litertModel';
import { reasonOf, runtimeFailure } from './runtimeErrors';
import { TfjsTfliteModel } from './tfjsTfliteModel';

type Model = LitertModel | TfjsTfliteModel;

export class TfliteRuntime implements TensorRuntime {
  private model: Model | null = null;

  async load(request: TensorLoadRequest): Promise<LoadedModel> {
    const started = performance.now();
    await this.unload();
    const details = {
      id: request.id,
      version: request.version,
      file: request.file,
      backend: request.device,
    };
    if (request.device === 'webnn') {
      throw new AppError('unsupported-device', {
        ...details,
        reason: 'no WebNN path for TFLite here',
      });
    }
    if (request.keepOnDevice?.length) {
      throw new AppError('model-load-failed', {
        ...details,
        reason: 'keeping outputs on the device (keepOnDevice) is offered for ONNX models only',
      });
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(
        await (await readModelFile(request.id, request.version, request.file)).arrayBuffer(),
      );
    } catch (error) {
      throw runtimeFailure(error, 'model-load-failed', details);
    }
    let litertReason = request.runtime === 'tfjs-tflite' ? (request.reason ?? 'asked for') : '';
    litertReason ||= litertCannot(bytes) ?? '';
    if (!litertReason) {
      try {
        // LiteRT takes ownership of nothing: a copy keeps `bytes` for the fallback.
        const model = await LitertModel.load(bytes.slice(), request.device);
        this.model = model;
        const { backend, note } = model.accelerator;
        return { ...this.loaded(model, 'litert', backend, started), ...(note ? { note } : {}) };
      } catch (error) {
        if (AppError.is(error)) throw error;
        litertReason = reasonOf(error);
      }
    }
    try {
      const model = await TfjsTfliteModel.load(bytes);
      this.model = model;
      return {
        ...this.loaded(model, 'tfjs-tflite', 'wasm', started),
        note: `LiteRT.js could not run this model (${litertReason}); tfjs-tflite runs it on WASM`,
      };
    } catch (error) {
      throw runtimeFailure(error, 'model-load-failed', {
        ...details,
        litert: litertReason,
        'tfjs-tflite': reasonOf(error),
      });
    }
  }

  async run(inputs: NamedTensors, options: RunOptions = {}): Promise<NamedTensors> {
    const model = this.model;
    if (!model) throw new AppError('model-not-installed', { reason: 'no model loaded' });
    const [fed] = Object.values(options.feed ?? {});
    if (fed) await this.readKept(fed);
    for (const [name, tensor] of Object.entries(inputs)) checkTensor(name, tensor);
    let outputs: NamedTensors;
    try {
      outputs = await model.run(inputs);
    } catch (error) {
      const failure = runtimeFailure(error, 'inference-failed', {});
      if (model instanceof LitertModel) {
        // A failed LiteRT.js run may leave its WebAssembly instance in any
        // state: this worker is ended (runtime-crashed) and the page loads the
        // model again on tfjs-tflite in a fresh one.
        throw new AppError('runtime-crashed', {
          ...failure.details,
          runtime: 'litert',
          fallback: 'tfjs-tflite',
        });
      }
      throw failure;
    }
    return transfer(outputs, tensorBuffers(outputs));
  }

  async keptOutputs(): Promise<KeptOutput[]> {
    return [];
  }

  async readKept(name: string): Promise<TensorData> {
    throw new AppError('inference-failed', {
      reason: `no kept output "${name}" (TFLite keeps none)`,
    });
  }

  async unload(): Promise<void> {
    this.model?.dispose();
    this.model = null;
  }

  private loaded(
    model: Model,
    runtime: string,
    backend: LoadedModel['backend'],
    started: number,
  ): LoadedModel {
    return {
      runtime,
      backend,
      inputs: model.inputs,
      outputs: model.outputs,
      loadMs: performance.now() - started,
    };
  }
}

/**
 * Why LiteRT.js cannot run a model, known from its file, or null. LiteRT.js
 * compiles a model with every tensor's size fixed: an output shaped only at
 * run time (by a custom op such as detection post-processing, or a dynamic
 * builtin op) comes back with the compile-time size and wrong values (measured:
 * zeros), not an error. Such models go to tfjs-tflite, whose interpreter
 * resizes outputs on each run.
 */
function litertCannot(bytes: Uint8Array): string | null {
  let summary: ReturnType<typeof tfliteTensors>;
  try {
    summary = tfliteTensors(bytes);
  } catch {
    return null; // Not readable here: LiteRT.js gives its own reason.
  }
  const custom = summary.customOps[0];
  if (custom !== undefined) return `it uses the custom op ${custom}`;
  const dynamic = runTimeShapedOutput(summary);
  if (dynamic) {
    return `output ${dynamic.name} is shaped at run time [${dynamic.shapeSignature ?? dynamic.shape}]`;
  }
  return null;
}
