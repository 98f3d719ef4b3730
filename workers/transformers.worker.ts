// Inference worker for transformers.js models: keeps heavy work off the page.
import { exposeWorker } from '../src/bridge/exposeWorker';
import { TransformersRuntime } from '../src/inference/runtimes/transformersRuntime';

exposeWorker(new TransformersRuntime());
