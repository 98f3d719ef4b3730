// Packs the real small models of ../shared/models into the local model host's
// folder, one package per task screen (digit recognition, image
// classification, text embeddings), each with the `task.json` its screen reads.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import JSZip from 'jszip';
import type { TaskSpec } from '../../src/core/tasks/taskSpec';
import { parseTaskSpec, TASK_SPEC_FILE } from '../../src/core/tasks/taskSpec';
import { tfliteTensors } from '../../src/core/tfliteTensors';
import imagenet from './imagenetLabels.json' with { type: 'json' };
import { packModel } from './packModel';

export const SHARED_MODELS = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'models');
export const TASK_MODEL_VERSION = '1.0.0';

/** The ids of the packed task models, for the tests and the docs. */
export const TASK_MODEL_IDS = {
  digits: 'mnist-digits',
  image: 'mobilenet-v2-int8',
  embedding: 'regex-one-embedding',
} as const;

// PyTorch's ImageNet normalization: the MobileNet was exported from PyTorch,
// and its int8 input range, dequantized, is exactly [-0.485/0.229, (1-0.406)/0.225].
const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];

interface TaskPackage {
  id: string;
  name: string;
  description: string;
  framework: 'onnx' | 'tflite';
  source: string;
  license: string;
  dtype: 'fp32' | 'int8';
  /** Writes the model and its extra files into `dir`; returns the task spec. */
  fill(dir: string, source: string): Promise<TaskSpec>;
}

const PACKAGES: TaskPackage[] = [
  {
    id: TASK_MODEL_IDS.digits,
    name: 'MNIST digits',
    description:
      'Recognizes a handwritten digit (ONNX model zoo mnist-8). Draw one or pick an image.',
    framework: 'onnx',
    source: 'onnx/mnist.onnx',
    license: 'MIT',
    dtype: 'fp32',
    async fill(dir, source) {
      await copyFile(source, join(dir, 'model.onnx'));
      return { task: 'digit-recognition', model: 'model.onnx', size: 28 };
    },
  },
  {
    id: TASK_MODEL_IDS.image,
    name: 'MobileNetV2 (int8)',
    description: 'Classifies a photo into 1,000 ImageNet classes (int8 TFLite, 3.4 MB).',
    framework: 'tflite',
    source: 'tflite/mobilenet_v2_int8_nchw.tflite',
    license: 'Apache-2.0',
    dtype: 'int8',
    async fill(dir, source) {
      const bytes = new Uint8Array(await readFile(source));
      const [input] = tfliteTensors(bytes).inputs;
      const [output] = tfliteTensors(bytes).outputs;
      if (input?.shape.length !== 4) throw new Error(`${source}: expected one 4-D input`);
      await copyFile(source, join(dir, 'model.tflite'));
      await writeFile(join(dir, 'labels.json'), `${JSON.stringify(imagenet.labels)}\n`);
      return {
        task: 'image-classification',
        model: 'model.tflite',
        layout: input.shape[1] === 3 ? 'NCHW' : 'NHWC',
        size: input.shape[2] ?? 224,
        mean: IMAGENET_MEAN,
        std: IMAGENET_STD,
        ...(input.quantization ? { inputQuantization: input.quantization } : {}),
        ...(output?.quantization ? { outputQuantization: output.quantization } : {}),
        labels: 'labels.json',
      };
    },
  },
  {
    id: TASK_MODEL_IDS.embedding,
    name: 'Average word embedding',
    description:
      'Turns sentences into 16-number vectors (TFLite Model Maker test model; movie-review vocabulary).',
    framework: 'tflite',
    source: 'tflite/regex_one_embedding_with_metadata.tflite',
    license: 'Apache-2.0',
    dtype: 'fp32',
    async fill(dir, source) {
      const bytes = await readFile(source);
      const [input] = tfliteTensors(new Uint8Array(bytes)).inputs;
      // The vocabulary is a file in the zip appended to the model (its metadata).
      const zip = await JSZip.loadAsync(bytes);
      const vocab = zip.file('vocab.txt');
      if (!vocab) throw new Error(`${source}: no vocab.txt in the model's metadata`);
      await copyFile(source, join(dir, 'model.tflite'));
      await writeFile(join(dir, 'vocab.txt'), await vocab.async('nodebuffer'));
      return {
        task: 'text-embedding',
        model: 'model.tflite',
        vocab: 'vocab.txt',
        // The metadata's RegexTokenizer pattern; its vocab has <PAD> 0, <START> 1, <UNKNOWN> 2.
        delimiter: "[^\\w\\']+",
        length: input?.shape[1] ?? 256,
        start: 1,
        unknown: 2,
        pad: 0,
      };
    },
  },
];

/**
 * Packs every task model into `root/<id>/<version>/` (the caller rewrites the
 * catalog). Without ../shared/models it packs nothing and says so.
 */
export async function packTaskModels(
  root: string,
  shared = SHARED_MODELS,
): Promise<{ ok: boolean; message: string; ids: string[] }> {
  if (!existsSync(shared)) {
    // Packages from an earlier run must not stay listed without their sources.
    for (const pkg of PACKAGES) await rm(join(root, pkg.id), { recursive: true, force: true });
    return {
      ok: false,
      message: `Task models not packed: ${shared} is missing (see its README for the files).`,
      ids: [],
    };
  }
  const ids: string[] = [];
  for (const pkg of PACKAGES) {
    const source = join(shared, pkg.source);
    if (!existsSync(source)) {
      return { ok: false, message: `Task models not packed: ${source} is missing.`, ids };
    }
    const dir = join(root, pkg.id, TASK_MODEL_VERSION);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const spec = parseTaskSpec(await pkg.fill(dir, source));
    await writeFile(join(dir, TASK_SPEC_FILE), `${JSON.stringify(spec, null, 2)}\n`);
    await packModel({
      dir,
      id: pkg.id,
      name: pkg.name,
      version: TASK_MODEL_VERSION,
      framework: pkg.framework,
      task: spec.task,
      license: pkg.license,
      description: pkg.description,
      // Memory: a few times the weights (runtime arenas); these models are all < 4 MB.
      variants: [
        { backend: 'wasm', dtype: pkg.dtype, memoryBytes: 64 * 1024 * 1024, requiredFeatures: [] },
      ],
    });
    ids.push(pkg.id);
  }
  return { ok: true, message: `Task models packed: ${ids.join(', ')}`, ids };
}
