// TFLite models inside the TFLite (classic) worker: LiteRT.js first, on WebGPU
// or WASM as requested; tfjs-tflite (WASM) where LiteRT.js cannot run the
// model. The model reports which one runs it, and why a fallback was taken.

import { transfer } from 'comlink';
import { AppError } from '../../core/errors';
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
    let litertReason: string;
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
      throw runtimeFailure(error, 'inference-failed', {});
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
