// The TFLite worker's body, imported by workers/tflite.worker.ts.
import { exposeWorker } from '../src/bridge/exposeWorker';
import { TfliteRuntime } from '../src/inference/runtimes/tfliteRuntime';

exposeWorker(new TfliteRuntime());
