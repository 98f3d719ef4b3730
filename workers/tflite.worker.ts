// Inference worker for TFLite models (LiteRT.js, tfjs-tflite). Their loaders
// use importScripts, which module workers forbid, so this worker is started
// as a *classic* one: its only statement imports the runtime, which the build
// puts in its own chunk (import() works in classic workers).
void import('./tfliteWorkerMain').catch((error: unknown) =>
  // An import that fails surfaces as the worker's error event: a crash the page sees.
  setTimeout(() => {
    throw error;
  }),
);
