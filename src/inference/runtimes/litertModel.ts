// TFLite through LiteRT.js (`@litertjs/core`), the maintained runtime: WebGPU
// or WASM. Must run in a *classic* worker: its loader uses importScripts, and
// it finds its `.wasm` through `self.Module.locateFile`, set here first.

import {
  type CompiledModel,
  loadAndCompile,
  loadLiteRt,
  supportsFeature,
  Tensor,
  type TensorDetails,
} from '@litertjs/core';
import compatJsUrl from '@litertjs/core/wasm/litert_wasm_compat_internal.js?url';
import compatWasmUrl from '@litertjs/core/wasm/litert_wasm_compat_internal.wasm?url';
import relaxedJsUrl from '@litertjs/core/wasm/litert_wasm_internal.js?url';
import relaxedWasmUrl from '@litertjs/core/wasm/litert_wasm_internal.wasm?url';
import { type NamedTensors, ownedTensor, type TensorInfo, type TensorType } from '../tensorData';

let ready: Promise<void> | null = null;

// This worker runs from a blob: URL, which cannot be a base URL; its origin can.
const absolute = (url: string) => new URL(url, self.location.origin).href;

/** Loads the LiteRT WebAssembly module once per worker (relaxed-SIMD build where supported). */
function loadOnce(): Promise<void> {
  ready ??= (async () => {
    const relaxed = await supportsFeature('relaxedSimd');
    const wasm = absolute(relaxed ? relaxedWasmUrl : compatWasmUrl);
    (self as unknown as { Module: unknown }).Module = {
      locateFile: (file: string) => (file.endsWith('.wasm') ? wasm : file),
    };
    // Single-threaded: `threads: true` hung inside a worker (ENVIRONMENT.md).
    await loadLiteRt(absolute(relaxed ? relaxedJsUrl : compatJsUrl));
  })().catch((error) => {
    ready = null;
    throw error;
  });
  return ready;
}

function tensorInfos(details: readonly TensorDetails[]): TensorInfo[] {
  return details.map((d) => ({ name: d.name, type: d.dtype, dims: [...d.shape] }));
}

export class LitertModel {
  private constructor(private readonly model: CompiledModel) {}

  /** Compiles a model; throws what LiteRT throws (unsupported types and ops included). */
  static async load(bytes: Uint8Array, accelerator: 'webgpu' | 'wasm'): Promise<LitertModel> {
    await loadOnce();
    const compiled = await loadAndCompile(bytes, { accelerator });
    // LiteRT.js cannot resize inputs: a dynamic dimension (-1) never matches a real tensor.
    const dynamic = compiled.getInputDetails().find((d) => d.shape.some((n) => n < 0));
    if (dynamic) {
      compiled.delete();
      throw new Error(`input ${dynamic.name} has a dynamic shape [${dynamic.shape}]`);
    }
    return new LitertModel(compiled);
  }

  /**
   * The accelerator in use: LiteRT.js quietly compiles for WASM a model WebGPU
   * cannot fully run (without JSPI), or splits it between both (with JSPI).
   */
  get accelerator(): { backend: 'webgpu' | 'wasm'; note?: string } {
    const options = (this.model as unknown as { options?: { accelerator?: string } }).options;
    if (options?.accelerator !== 'webgpu') return { backend: 'wasm' };
    if (this.model.isFullyAccelerated) return { backend: 'webgpu' };
    return {
      backend: 'webgpu',
      note: 'LiteRT.js runs part of this model on WASM (not every op runs on WebGPU)',
    };
  }

  get inputs(): TensorInfo[] {
    return tensorInfos(this.model.getInputDetails());
  }

  get outputs(): TensorInfo[] {
    return tensorInfos(this.model.getOutputDetails());
  }

  async run(inputs: NamedTensors): Promise<NamedTensors> {
    const created: Tensor[] = [];
    try {
      const feeds: Record<string, Tensor> = {};
      for (const detail of this.model.getInputDetails()) {
        const input = inputs[detail.name] ?? Object.values(inputs)[detail.index];
        if (!input) throw new Error(`missing input ${detail.name}`);
        const tensor = new Tensor(input.data as Float32Array, input.dims);
        created.push(tensor);
        feeds[detail.name] = tensor;
      }
      const results = (await this.model.run(feeds)) as Record<string, Tensor>;
      const outputs: NamedTensors = {};
      for (const [name, result] of Object.entries(results)) {
        created.push(result);
        // WebGPU results come back to the CPU: the page needs their values.
        const host = result.getBufferType() === 1 ? result : await result.copyTo('wasm');
        if (host !== result) created.push(host);
        const data = host.toTypedArray();
        outputs[name] = ownedTensor(
          result.type.dtype as TensorType,
          [...result.type.layout.dimensions],
          data,
        );
      }
      return outputs;
    } finally {
      for (const tensor of created) tensor.delete();
    }
  }

  dispose(): void {
    this.model.delete();
  }
}
