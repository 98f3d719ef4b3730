// ONNX models (classifiers, embedders, detectors) with onnxruntime-web, inside
// the ONNX worker: wasm, WebGPU or WebNN as the request says; model bytes and
// external data read from OPFS; tensors in and out as plain typed arrays.
// Outputs named in `keepOnDevice` stay in the worker — as GPU buffers on WebGPU
// (onnxruntime's IO binding) — and can be fed to the next run as they are.

import { transfer } from 'comlink';
import * as ort from 'onnxruntime-web/webgpu';
import { AppError } from '../../core/errors';
import { checkInstalledModel } from '../../storage/modelDamage';
import { readModelFile } from '../../storage/modelFiles';
import {
  checkTensor,
  type NamedTensors,
  ownedTensor,
  type TensorArray,
  type TensorInfo,
  type TensorType,
  tensorBuffers,
  tensorByteLength,
  tensorFromBytes,
} from '../tensorData';
import type {
  Backend,
  KeptOutput,
  LoadedModel,
  RunOptions,
  TensorData,
  TensorLoadRequest,
  TensorRuntime,
} from '../types';
import { readGpuBuffer } from './gpuReadback';
import { configureOrtWasm } from './ortEnvironment';
import { runtimeFailure } from './runtimeErrors';
import {
  type ExternalDataUsage,
  type OpenedExternalData,
  openExternalData,
} from './storedExternalData';

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
  private keep: string[] = [];
  /** The kept outputs of the last run (GPU-backed tensors on WebGPU: disposed when replaced). */
  private readonly kept = new Map<string, ort.Tensor>();

  async load(request: TensorLoadRequest): Promise<LoadedModel> {
    const started = performance.now();
    await this.unload();
    checkBackend(request.device);
    configureOrtWasm(ort.env.wasm, {
      backend: request.device,
      fix: true,
      ...(request.threads ? { threads: request.threads } : {}),
    });
    const details = {
      id: request.id,
      version: request.version,
      file: request.file,
      backend: request.device,
    };
    let external: OpenedExternalData | null = null;
    let externalUsage: ExternalDataUsage | null = null;
    try {
      const installed = await checkInstalledModel(request.id, request.version);
      // External data is read from OPFS tensor by tensor while the session is built
      // (storedExternalData): no JS copy of the weights, and nothing joined.
      external = await openExternalData(
        installed,
        (request.externalData ?? []).map((path) => ({
          path,
          mountAs: relativeTo(request.file, path),
        })),
      );
      const keep = request.keepOnDevice ?? [];
      const options: ort.InferenceSession.SessionOptions = {
        executionProviders: [request.device],
        graphOptimizationLevel: 'all',
        ...(external.entries.length > 0 ? { externalData: external.entries } : {}),
        // Elsewhere outputs are on the CPU anyway; kept in the worker all the same.
        ...(request.device === 'webgpu' && keep.length > 0
          ? { preferredOutputLocation: Object.fromEntries(keep.map((n) => [n, 'gpu-buffer'])) }
          : {}),
      };
      // The graph's bytes live only in this call: onnxruntime copies them into wasm
      // memory and frees that copy once the session exists.
      this.session = await ort.InferenceSession.create(
        new Uint8Array(
          await (await readModelFile(request.id, request.version, request.file)).arrayBuffer(),
        ),
        options,
      );
      const unknown = keep.filter((name) => !this.session?.outputNames.includes(name));
      if (unknown.length > 0) {
        await this.unload();
        throw new AppError('model-load-failed', {
          ...details,
          reason: `keepOnDevice names outputs the model does not have: ${unknown.join(', ')}`,
        });
      }
      this.keep = keep;
      if (external.entries.length > 0) externalUsage = external.usage();
    } catch (error) {
      throw runtimeFailure(error, 'model-load-failed', details);
    } finally {
      external?.close();
    }
    return {
      runtime: 'onnxruntime-web',
      backend: request.device,
      inputs: tensorInfos(this.session.inputMetadata),
      outputs: tensorInfos(this.session.outputMetadata),
      loadMs: performance.now() - started,
      ...(externalUsage ? { externalData: externalUsage } : {}),
    };
  }

  async run(inputs: NamedTensors, options: RunOptions = {}): Promise<NamedTensors> {
    const session = this.session;
    if (!session) throw new AppError('model-not-installed', { reason: 'no model loaded' });
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(inputs)) {
      checkTensor(name, tensor);
      feeds[name] = new ort.Tensor(tensor.type, tensor.data as ort.Tensor.DataType, tensor.dims);
    }
    for (const [input, output] of Object.entries(options.feed ?? {})) {
      feeds[input] = this.keptTensor(output);
    }
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await session.run(feeds);
    } catch (error) {
      throw runtimeFailure(error, 'inference-failed', { reason: 'run failed' });
    }
    const outputs: NamedTensors = {};
    for (const [name, value] of Object.entries(results)) {
      if (this.keep.includes(name)) {
        // The one it replaces was fed to this run at most: free to go now.
        const previous = this.kept.get(name);
        this.kept.set(name, value);
        if (previous !== value) previous?.dispose();
        continue;
      }
      // Outputs the page asked for come back to the CPU: it needs their values.
      const data = value.location === 'cpu' ? value.data : await value.getData(true);
      outputs[name] = ownedTensor(value.type as TensorType, [...value.dims], data as TensorArray);
    }
    return transfer(outputs, tensorBuffers(outputs));
  }

  async keptOutputs(): Promise<KeptOutput[]> {
    return [...this.kept].map(([name, t]) => ({
      name,
      type: t.type,
      dims: [...t.dims],
      location: t.location,
    }));
  }

  async readKept(name: string): Promise<TensorData> {
    const kept = this.keptTensor(name);
    const type = kept.type as TensorType;
    const dims = [...kept.dims];
    // A copy either way, and the kept tensor stays where it is for the next run
    // (`getData()` would turn a GPU tensor into a CPU one).
    const tensor =
      kept.location === 'gpu-buffer'
        ? tensorFromBytes(
            type,
            dims,
            await readGpuBuffer(
              await ort.env.webgpu.device,
              kept.gpuBuffer,
              tensorByteLength(type, dims),
            ),
          )
        : ownedTensor(type, dims, (kept.data as TensorArray).slice());
    return transfer(tensor, tensorBuffers({ [name]: tensor }));
  }

  async unload(): Promise<void> {
    const session = this.session;
    this.session = null;
    for (const tensor of this.kept.values()) tensor.dispose();
    this.kept.clear();
    this.keep = [];
    await session?.release();
  }

  private keptTensor(name: string): ort.Tensor {
    const tensor = this.kept.get(name);
    if (!tensor) {
      throw new AppError('inference-failed', {
        reason: `no kept output "${name}": name it in keepOnDevice and run the model first`,
        kept: [...this.kept.keys()],
      });
    }
    return tensor;
  }
}
