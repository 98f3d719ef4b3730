// TFLite through `@tensorflow/tfjs-tflite`, the fallback where LiteRT.js
// cannot run a model (its tensors may only be float32, int32 or uint8, so
// int8-quantized models need this). Single-threaded SIMD build, on WASM.
//
// tfjs-tflite finds its files by fixed names under one folder; the app serves
// them under hashed names. Inside this (classic) worker, requests for those
// names are mapped to the served files, and threaded variants to the
// single-threaded build (threads hung inside a worker, see ENVIRONMENT.md).

import { loadTFLiteModel, setWasmPath } from '@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js';
import simdJsUrl from '@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc_simd.js?url';
import simdWasmUrl from '@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc_simd.wasm?url';
import {
  type NamedTensors,
  ownedTensor,
  type TensorArray,
  type TensorInfo,
  type TensorType,
} from '../tensorData';

declare const self: DedicatedWorkerGlobalScope;

const FOLDER = '/__tfjs-tflite__/';

interface RunnerTensor {
  name: string;
  dataType: string;
  shape: string;
  data(): TensorArray | Float64Array;
}

interface Runner {
  getInputs(): RunnerTensor[];
  getOutputs(): RunnerTensor[];
  infer(): boolean;
  cleanUp(): void;
}

/** The served file for a name tfjs-tflite asks for, or null for anything else. */
export function tfjsTfliteAsset(url: string): string | null {
  // This worker runs from a blob: URL, which cannot be a base URL; its origin can.
  const { pathname } = new URL(url, self.location.origin);
  if (!pathname.startsWith(FOLDER)) return null;
  const name = pathname.slice(FOLDER.length);
  const asset = name.endsWith('.wasm') ? simdWasmUrl : name.endsWith('.js') ? simdJsUrl : null;
  return asset && new URL(asset, self.location.origin).href;
}

let installed = false;

function installAssetMap() {
  if (installed) return;
  installed = true;
  const importScripts = self.importScripts.bind(self);
  self.importScripts = (...urls: (string | URL)[]) =>
    importScripts(...urls.map((u) => tfjsTfliteAsset(String(u)) ?? u));
  const fetch = self.fetch.bind(self);
  self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    return fetch(tfjsTfliteAsset(url) ?? input, init);
  };
  setWasmPath(new URL(FOLDER, self.location.origin).href);
}

function tensorInfos(tensors: RunnerTensor[]): TensorInfo[] {
  return tensors.map((t) => ({
    name: t.name,
    type: t.dataType,
    dims: t.shape.split(',').map(Number),
  }));
}

export class TfjsTfliteModel {
  private constructor(private readonly runner: Runner) {}

  static async load(bytes: Uint8Array): Promise<TfjsTfliteModel> {
    installAssetMap();
    const buffer = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    const model = await loadTFLiteModel(buffer, { numThreads: 1 });
    // The runner gives each tensor's own typed array (int8 stays int8).
    return new TfjsTfliteModel((model as unknown as { modelRunner: Runner }).modelRunner);
  }

  get inputs(): TensorInfo[] {
    return tensorInfos(this.runner.getInputs());
  }

  get outputs(): TensorInfo[] {
    return tensorInfos(this.runner.getOutputs());
  }

  async run(inputs: NamedTensors): Promise<NamedTensors> {
    this.runner.getInputs().forEach((slot, index) => {
      const input = inputs[slot.name] ?? Object.values(inputs)[index];
      if (!input) throw new Error(`missing input ${slot.name}`);
      const target = slot.data();
      if (target.length !== input.data.length) {
        throw new Error(
          `input ${slot.name} holds ${target.length} values, got ${input.data.length}`,
        );
      }
      (target as Int32Array).set(input.data as Int32Array);
    });
    if (!this.runner.infer()) throw new Error('tfjs-tflite inference failed');
    const outputs: NamedTensors = {};
    for (const slot of this.runner.getOutputs()) {
      const data = slot.data();
      if (data instanceof Float64Array)
        throw new Error(`float64 output ${slot.name} is not supported`);
      // A copy: the runner reuses its buffers on the next inference.
      outputs[slot.name] = ownedTensor(
        slot.dataType as TensorType,
        slot.shape.split(',').map(Number),
        data.slice(),
      );
    }
    return outputs;
  }

  dispose(): void {
    this.runner.cleanUp();
  }
}
