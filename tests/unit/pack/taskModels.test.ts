// Packing the real task models: each package has its manifest and task.json,
// the MobileNet's quantization is read from the flatbuffer, the embedder's
// vocabulary from its metadata zip; without ../shared/models nothing is packed.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest';
import { encodeText, parseVocab } from '../../../src/core/tasks/regexTokenizer';
import { parseTaskSpec } from '../../../src/core/tasks/taskSpec';
import { tfliteTensors } from '../../../src/core/tfliteTensors';
import { packTaskModels, SHARED_MODELS, TASK_MODEL_IDS } from '../../../tools/pack/taskModels';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'task-models-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const shared = existsSync(SHARED_MODELS);

describe.skipIf(!shared)('packTaskModels (needs ../shared/models)', () => {
  it('packs the three task models with their specs', async () => {
    const result = await packTaskModels(root);
    expect(result.ok).toBe(true);
    expect(result.ids).toEqual(Object.values(TASK_MODEL_IDS));
    const read = async (id: string, file: string) =>
      JSON.parse(await readFile(join(root, id, '1.0.0', file), 'utf8'));

    const mnist = parseManifest(await read(TASK_MODEL_IDS.digits, 'manifest.json'));
    expect([mnist.framework, mnist.task]).toEqual(['onnx', 'digit-recognition']);

    const image = parseTaskSpec(await read(TASK_MODEL_IDS.image, 'task.json'));
    if (image.task !== 'image-classification') throw new Error('wrong task');
    expect(image.inputQuantization?.zeroPoint).toBe(-14);
    expect(image.inputQuantization?.scale).toBeCloseTo(0.018631, 6);
    expect([image.layout, image.size]).toEqual(['NCHW', 224]);
    const labels = await read(TASK_MODEL_IDS.image, 'labels.json');
    expect([labels.length, labels[258]]).toEqual([1000, 'Samoyed']);

    const embed = parseTaskSpec(await read(TASK_MODEL_IDS.embedding, 'task.json'));
    if (embed.task !== 'text-embedding') throw new Error('wrong task');
    const vocab = parseVocab(
      await readFile(join(root, TASK_MODEL_IDS.embedding, '1.0.0', 'vocab.txt'), 'utf8'),
    );
    // The README's reference ids [1,3,16,9,4] are this sentence.
    expect(Array.from(encodeText('The film is a', vocab, embed).slice(0, 6))).toEqual([
      1, 3, 16, 9, 4, 0,
    ]);
  });

  it('reads the embedder tensors from the flatbuffer', async () => {
    const bytes = await readFile(
      join(SHARED_MODELS, 'tflite/regex_one_embedding_with_metadata.tflite'),
    );
    const { inputs, outputs } = tfliteTensors(new Uint8Array(bytes));
    expect(inputs.map((t) => [t.type, t.shape])).toEqual([['int32', [1, 256]]]);
    expect(outputs.map((t) => [t.type, t.shape, t.quantization])).toEqual([
      ['float32', [1, 16], undefined],
    ]);
  });
});

it('without the shared folder packs nothing, says so, and removes stale packages', async () => {
  await mkdir(join(root, TASK_MODEL_IDS.digits, '1.0.0'), { recursive: true });
  await writeFile(join(root, TASK_MODEL_IDS.digits, '1.0.0', 'manifest.json'), '{}');
  const result = await packTaskModels(root, join(root, 'no-such-folder'));
  expect(result.ok).toBe(false);
  expect(result.message).toContain('no-such-folder is missing');
  expect(existsSync(join(root, TASK_MODEL_IDS.digits))).toBe(false);
});

it('refuses a file that is not a TFLite model', () => {
  expect(() => tfliteTensors(new Uint8Array(16))).toThrow('not a TFLite model');
});
