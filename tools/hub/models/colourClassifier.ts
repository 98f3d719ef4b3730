// A tiny image classifier in transformers.js's ViT layout, for tests: its
// logits are a fixed linear map of each colour channel's mean, so a photo's
// top label ("red", "bright"…) and every score can be computed exactly.

import { attr, GraphBuilder } from '../../onnx/graphBuilder';
import { DataType, encodeModel } from '../../onnx/onnxModel';
import { jsonFile, type RepoFiles } from './repoFiles';

export const COLOUR_LABELS = ['red', 'green', 'blue', 'bright', 'dark'] as const;

/** One row per label: the weight of the normalized R, G and B means. */
const WEIGHTS: readonly (readonly [number, number, number])[] = [
  [2, -1, -1],
  [-1, 2, -1],
  [-1, -1, 2],
  [1, 1, 1],
  [-1, -1, -1],
];

/** The side the processor resizes photos to (any size works: the model averages). */
const SIDE = 16;

/** Softmax scores per label for a photo of one solid colour (0..255 per channel), best first. */
export function colourScores(
  rgb: readonly [number, number, number],
): { label: string; score: number }[] {
  // The processor's normalization: x / 255, then (x - 0.5) / 0.5.
  const means = rgb.map((c) => (c / 255 - 0.5) / 0.5);
  const logits = WEIGHTS.map((w) => w.reduce((sum, wc, i) => sum + wc * (means[i] ?? 0), 0));
  const top = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return COLOUR_LABELS.map((label, i) => ({ label, score: (exps[i] ?? 0) / total })).sort(
    (a, b) => b.score - a.score,
  );
}

function colourGraph(): Uint8Array {
  const g = new GraphBuilder('colour_classifier');
  const pixels = g.input('pixel_values', DataType.FLOAT, ['batch_size', 3, 'height', 'width']);
  const means = g.op('ReduceMean', [pixels], {
    axes: attr.ints([2, 3]),
    keepdims: attr.int(0),
  });
  // MatMul takes [3, labels]: the transpose of WEIGHTS.
  const columns = Float32Array.from([0, 1, 2].flatMap((c) => WEIGHTS.map((row) => row[c] ?? 0)));
  const weights = g.initializer('classifier_weight', columns, [3, WEIGHTS.length]);
  const logits = g.op('MatMul', [means, weights]);
  g.output(logits, 'logits', DataType.FLOAT, ['batch_size', WEIGHTS.length]);
  return encodeModel(g.model({ opset: 17 }));
}

/** The repo's files: config (labels), preprocessor config and `onnx/model.onnx` (fp32). */
export function colourClassifierRepo(): RepoFiles {
  const id2label = Object.fromEntries(COLOUR_LABELS.map((label, i) => [String(i), label]));
  const label2id = Object.fromEntries(COLOUR_LABELS.map((label, i) => [label, i]));
  return {
    'config.json': jsonFile({
      model_type: 'vit',
      architectures: ['ViTForImageClassification'],
      id2label,
      label2id,
    }),
    'preprocessor_config.json': jsonFile({
      image_processor_type: 'ViTImageProcessor',
      do_resize: true,
      size: { height: SIDE, width: SIDE },
      resample: 2,
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.5, 0.5, 0.5],
      image_std: [0.5, 0.5, 0.5],
    }),
    'onnx/model.onnx': colourGraph(),
  };
}
