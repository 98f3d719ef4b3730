// The TFLite worker's body, imported by workers/tflite.worker.ts.
import { exposeRuntime } from '../src/inference/runtimes/exposeRuntime';
import { TfliteRuntime } from '../src/inference/runtimes/tfliteRuntime';

exposeRuntime(new TfliteRuntime());
