// ONNX models (classifiers, embedders, detectors) with onnxruntime-web, inside
// the ONNX worker: wasm, WebGPU or WebNN as the request says; model bytes and
// external data read from OPFS; tensors in and out as plain typed arrays.

import { transfer } from 'comlink';
import * as ort from 'onnxruntime-web/webgpu';
import { AppError } from '../../core/errors';
import { readModelFile } from '../../storage/modelFiles';
import {
  checkTensor,
  type NamedTensors,
  ownedTensor,
  type TensorInfo,
  type TensorType,
  tensorBuffers,
} from '../tensorData';
import type { Backend, LoadedModel, TensorLoadRequest, TensorRuntime } from '../types';
import { configureOrtWasm } from './ortEnvironment';
import { runtimeFailure } from './runtimeErrors';

let configured = false;

/** Fails early, with the reason, when the backend does not exist in this browser. */
function checkBackend(device: Backend): void {
  if (device === 'webgpu' && !('gpu' in navigator && navigator.gpu)) {
    throw new AppError('unsupported-device', {
      backend: device,
      reason: 'WebGPU (navigator.gpu) is not available',
    });
  }
  if (device === 'webnn' && !('ml' in navigator)) {
    throw new AppError('unsupported-device', {
      backend: device,
      reason: 'WebNN (navigator.ml) is not available',
    });
  }
}

function tensorInfos(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return meta.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, dims: [...m.shape] } : { name: m.name },
  );
}

/** A graph names its external data relative to its own folder. */
function relativeTo(modelFile: string, path: string): string {
  const dir = modelFile.includes('/') ? modelFile.slice(0, modelFile.lastIndexOf('/') + 1) : '';
  return dir && path.startsWith(dir) ? path.slice(dir.length) : path;
}

export class OnnxRuntime implements TensorRuntime {
  private session: ort.InferenceSession | null = null;

  async load(request: TensorLoadRequest): Promise<LoadedModel> {
    const started = performance.now();
    await this.unload();
    checkBackend(request.device);
    if (!configured) {
      configureOrtWasm(ort.env.wasm, request.threads ? { threads: request.threads } : {});
      configured = true;
    }
    const details = {
      id: request.id,
      version: request.version,
      file: request.file,
      backend: request.device,
    };
    try {
      const model = await readModelFile(request.id, request.version, request.file);
      // External data goes over as the stored File (a disk-backed Blob): onnxruntime
      // reads each file once while it builds the session, and we never join them.
      const externalData = await Promise.all(
        (request.externalData ?? []).map(async (path) => ({
          path: relativeTo(request.file, path),
          data: await readModelFile(request.id, request.version, path),
        })),
      );
      this.session = await ort.InferenceSession.create(new Uint8Array(await model.arrayBuffer()), {
        executionProviders: [request.device],
        graphOptimizationLevel: 'all',
        ...(externalData.length > 0 ? { externalData } : {}),
      });
    } catch (error) {
      throw runtimeFailure(error, 'model-load-failed', details);
    }
    return {
      runtime: 'onnxruntime-web',
      backend: request.device,
      inputs: tensorInfos(this.session.inputMetadata),
      outputs: tensorInfos(this.session.outputMetadata),
      loadMs: performance.now() - started,
    };
  }

  async run(inputs: NamedTensors): Promise<NamedTensors> {
    const session = this.session;
    if (!session) throw new AppError('model-not-installed', { reason: 'no model loaded' });
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(inputs)) {
      checkTensor(name, tensor);
      feeds[name] = new ort.Tensor(tensor.type, tensor.data as ort.Tensor.DataType, tensor.dims);
    }
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await session.run(feeds);
    } catch (error) {
      throw runtimeFailure(error, 'inference-failed', { reason: 'run failed' });
    }
    const outputs: NamedTensors = {};
    for (const [name, value] of Object.entries(results)) {
      // Outputs stay on the CPU here: the page needs their values.
      const data = value.location === 'cpu' ? value.data : await value.getData(true);
      outputs[name] = ownedTensor(value.type as TensorType, [...value.dims], data as never);
    }
    return transfer(outputs, tensorBuffers(outputs));
  }

  async unload(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.release();
  }
}
