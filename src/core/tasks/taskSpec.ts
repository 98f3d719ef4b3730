// What a task screen needs to know about a model beyond its manifest: which
// file to run and how to turn user input into its tensors. It travels inside
// the model package as `task.json` (written by the packer) and is checked here.

import * as v from 'valibot';
import { AppError } from '../errors';
import { relativePath } from '../manifest';
import { problemsFromIssues } from '../schemaProblems';

export const TASK_SPEC_FILE = 'task.json';

const quantization = v.strictObject({ scale: v.number(), zeroPoint: v.number() });

const digitSpec = v.strictObject({
  task: v.literal('digit-recognition'),
  model: relativePath,
  /** Side of the square greyscale input, in pixels (28 for MNIST). */
  size: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1024)),
});

const imageSpec = v.strictObject({
  task: v.literal('image-classification'),
  model: relativePath,
  layout: v.picklist(['NCHW', 'NHWC']),
  size: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096)),
  /** Per channel (RGB), applied to values scaled to 0..1: (x - mean) / std. */
  mean: v.tuple([v.number(), v.number(), v.number()]),
  std: v.tuple([v.number(), v.number(), v.number()]),
  /** Set when the input is int8: the normalized value is quantized with these. */
  inputQuantization: v.optional(quantization),
  outputQuantization: v.optional(quantization),
  /** A JSON array of class names in the package, index = class id. */
  labels: relativePath,
});

const embeddingSpec = v.strictObject({
  task: v.literal('text-embedding'),
  model: relativePath,
  /** `word id` lines, as in TFLite Model Maker's vocab.txt. */
  vocab: relativePath,
  /** Regular expression that separates words (the model's RegexTokenizer). */
  delimiter: v.string(),
  length: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(65_536)),
  start: v.number(),
  unknown: v.number(),
  pad: v.number(),
});

const taskSpecSchema = v.variant('task', [digitSpec, imageSpec, embeddingSpec]);

export type TaskSpec = v.InferOutput<typeof taskSpecSchema>;
export type DigitSpec = v.InferOutput<typeof digitSpec>;
export type ImageSpec = v.InferOutput<typeof imageSpec>;
export type EmbeddingSpec = v.InferOutput<typeof embeddingSpec>;
export type TaskName = TaskSpec['task'];

export const TASKS: readonly TaskName[] = [
  'digit-recognition',
  'image-classification',
  'text-embedding',
];

/** Whether the app has a screen for this manifest task. */
export function hasTaskScreen(task: string): task is TaskName {
  return (TASKS as readonly string[]).includes(task);
}

/** Checks untrusted JSON; a bad spec is `invalid-manifest` with the problems. */
export function parseTaskSpec(data: unknown): TaskSpec {
  const result = v.safeParse(taskSpecSchema, data);
  if (!result.success) {
    throw new AppError('invalid-manifest', {
      file: TASK_SPEC_FILE,
      problems: problemsFromIssues(result.issues, 'task.json'),
    });
  }
  return result.output;
}
