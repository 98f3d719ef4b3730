// The page's handle on TFLite models, in a *classic* worker (see
// workers/tflite.worker.ts for why).

import { WorkerTensorEngine, type WorkerTensorEngineOptions } from './tensorEngine';

export function createTfliteWorker(name: string): Worker {
  return new Worker(new URL('../../workers/tflite.worker.ts', import.meta.url), {
    type: 'classic',
    name,
  });
}

/** An engine for TFLite models, in their own classic worker. */
export function createTfliteEngine(options: WorkerTensorEngineOptions = {}): WorkerTensorEngine {
  return new WorkerTensorEngine('tflite', createTfliteWorker, options);
}
