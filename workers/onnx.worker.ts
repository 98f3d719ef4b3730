// Inference worker for ONNX models (onnxruntime-web): keeps heavy work off the page.
import { exposeRuntime } from '../src/inference/runtimes/exposeRuntime';
import { OnnxRuntime } from '../src/inference/runtimes/onnxRuntime';

exposeRuntime(new OnnxRuntime());
