// Which onnxruntime-web `.wasm` build a backend needs, and when a worker must be
// replaced for a load: onnxruntime reads its build and thread count once per
// worker, so a load that needs another build or thread count needs a fresh one.

import type { Backend } from './manifest';

/** 'wasm': the plain SIMD-threaded build (CPU only, fastest there); 'gpu': asyncify (+ WebGPU, WebNN). */
export type OrtBuild = 'wasm' | 'gpu';

export function ortBuildFor(backend: Backend): OrtBuild {
  return backend === 'wasm' ? 'wasm' : 'gpu';
}

/** What a worker's onnxruntime was started with. `threads` undefined: the default. */
export interface OrtWorkerSetup {
  build: OrtBuild;
  threads: number | undefined;
}

export function ortWorkerSetup(request: { device: Backend; threads?: number }): OrtWorkerSetup {
  return { build: ortBuildFor(request.device), threads: request.threads };
}

/** Whether a worker started with `running` cannot serve a load that needs `wanted`. */
export function workerSetupChanged(
  running: OrtWorkerSetup | null,
  wanted: OrtWorkerSetup,
): boolean {
  if (running === null) return false;
  return running.build !== wanted.build || running.threads !== wanted.threads;
}

/**
 * Remembers what the engine's worker was started with (the setup of the last load
 * it was sent: a replaced worker is reloaded with that same request) and ends
 * that worker before a load that needs another setup.
 */
export class OrtWorkerSetups {
  private last: OrtWorkerSetup | null = null;

  beforeLoad(
    request: { device: Backend; threads?: number },
    worker: { running: boolean; terminate(reason: string): void },
  ): void {
    const wanted = ortWorkerSetup(request);
    if (worker.running && workerSetupChanged(this.last, wanted)) {
      worker.terminate('the next load needs another onnxruntime build or thread count');
    }
    this.last = wanted;
  }
}
