// Inference worker for transformers.js models: keeps heavy work off the page.
import { exposeRuntime } from '../src/inference/runtimes/exposeRuntime';
import { TransformersRuntime } from '../src/inference/runtimes/transformersRuntime';

exposeRuntime(new TransformersRuntime());
