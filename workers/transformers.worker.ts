// Inference worker for transformers.js models: keeps heavy work off the page.
import { expose } from 'comlink';
import '../src/bridge/transferErrors';
import { TransformersRuntime } from '../src/inference/runtimes/transformersRuntime';

expose(new TransformersRuntime());
