// Inference worker for ONNX models (onnxruntime-web): keeps heavy work off the page.
import { exposeWorker } from '../src/bridge/exposeWorker';
import { OnnxRuntime } from '../src/inference/runtimes/onnxRuntime';

exposeWorker(new OnnxRuntime());
