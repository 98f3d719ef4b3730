// Types for the self-contained ES build of tfjs-tflite (its package entry
// points at files the package does not ship).
declare module '@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js' {
  export * from '@tensorflow/tfjs-tflite';
}
