// A tiny object detector in transformers.js's DETR layout, for tests: fixed
// logits and boxes per query, so what the pipeline keeps (threshold, the
// "no object" class) and where each box lands on a photo are known exactly.

import { GraphBuilder } from '../../onnx/graphBuilder';
import { DataType, encodeModel } from '../../onnx/onnxModel';
import { jsonFile, type RepoFiles } from './repoFiles';

export const DETECTOR_LABELS = ['cat', 'dog', 'bird'] as const;

interface Query {
  /** One logit per label, then the "no object" class (DETR's last). */
  logits: [number, number, number, number];
  /** Centre x, centre y, width, height, as fractions of the photo (DETR's `pred_boxes`). */
  box: [number, number, number, number];
}

const QUERIES: readonly Query[] = [
  { logits: [5, 0, 0, 0], box: [0.25, 0.5, 0.3, 0.6] },
  { logits: [0, 4, 0, 0], box: [0.7, 0.3, 0.2, 0.2] },
  // "No object": dropped whatever its score.
  { logits: [0, 0, 0, 6], box: [0.5, 0.5, 1, 1] },
  // A bird at 0.711: under the screen's threshold of 0.9.
  { logits: [0, 0, 2, 0], box: [0.5, 0.9, 0.1, 0.1] },
];

export interface ExpectedDetection {
  label: string;
  score: number;
  /** Corners as fractions of the photo's width and height. */
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

/** What the detector finds in any photo at `threshold` (DETR's post-processing). */
export function expectedDetections(threshold: number): ExpectedDetection[] {
  const found: ExpectedDetection[] = [];
  for (const { logits, box } of QUERIES) {
    const best = logits.indexOf(Math.max(...logits));
    if (best === logits.length - 1) continue;
    const top = Math.max(...logits);
    const total = logits.reduce((sum, l) => sum + Math.exp(l - top), 0);
    const score = Math.exp((logits[best] ?? 0) - top) / total;
    if (score < threshold) continue;
    const [cx, cy, w, h] = box;
    found.push({
      label: DETECTOR_LABELS[best] ?? '',
      score,
      box: {
        xmin: cx - w / 2,
        ymin: cy - h / 2,
        xmax: cx + w / 2,
        ymax: cy + h / 2,
      },
    });
  }
  return found;
}

function detectorGraph(): Uint8Array {
  const g = new GraphBuilder('box_detector');
  g.input('pixel_values', DataType.FLOAT, ['batch_size', 3, 'height', 'width']);
  g.input('pixel_mask', DataType.INT64, ['batch_size', 64, 64]);
  const q = QUERIES.length;
  const logits = g.initializer(
    'query_logits',
    Float32Array.from(QUERIES.flatMap((x) => x.logits)),
    [1, q, 4],
  );
  const boxes = g.initializer('query_boxes', Float32Array.from(QUERIES.flatMap((x) => x.box)), [
    1,
    q,
    4,
  ]);
  g.output(g.op('Identity', [logits]), 'logits', DataType.FLOAT, [1, q, 4]);
  g.output(g.op('Identity', [boxes]), 'pred_boxes', DataType.FLOAT, [1, q, 4]);
  return encodeModel(g.model({ opset: 17 }));
}

/** The repo's files: config (labels), preprocessor config and `onnx/model.onnx` (fp32). */
export function boxDetectorRepo(): RepoFiles {
  const id2label = Object.fromEntries(DETECTOR_LABELS.map((label, i) => [String(i), label]));
  return {
    'config.json': jsonFile({
      model_type: 'detr',
      architectures: ['DetrForObjectDetection'],
      id2label,
      label2id: Object.fromEntries(DETECTOR_LABELS.map((label, i) => [label, i])),
    }),
    'preprocessor_config.json': jsonFile({
      feature_extractor_type: 'DetrFeatureExtractor',
      do_resize: true,
      size: { shortest_edge: 32, longest_edge: 64 },
      resample: 2,
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.485, 0.456, 0.406],
      image_std: [0.229, 0.224, 0.225],
    }),
    'onnx/model.onnx': detectorGraph(),
  };
}
