// The generated test models for the task screens, run through transformers.js's
// own pipelines in Node (onnxruntime-node, sharp): what the browser tests
// assert is what the real pipelines give, computed independently here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { env, pipeline, RawImage } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubFileEntry, hubVariants } from '../../../src/core/hubListing';
import { HubRepo } from '../../../tools/hub/hubRepos';
import { boxDetectorRepo, expectedDetections } from '../../../tools/hub/models/boxDetector';
import { colourClassifierRepo, colourScores } from '../../../tools/hub/models/colourClassifier';
import type { RepoFiles } from '../../../tools/hub/models/repoFiles';
import {
  embedderTokenIds,
  expectedEmbedding,
  tableEmbedderRepo,
} from '../../../tools/hub/models/tableEmbedder';

let root = '';

function writeRepo(name: string, files: RepoFiles): void {
  for (const [path, bytes] of Object.entries(files)) {
    const full = join(root, name, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
}

function solid(width: number, height: number, rgb: [number, number, number]): RawImage {
  const data = new Uint8ClampedArray(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3] ?? 0;
  return new RawImage(data, width, height, 3);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pipeline-models-'));
  writeRepo('colours', colourClassifierRepo());
  writeRepo('boxes', boxDetectorRepo());
  writeRepo('table', tableEmbedderRepo());
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${root}/`;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generated pipeline models', () => {
  it.each([
    ['colours', colourClassifierRepo()],
    ['boxes', boxDetectorRepo()],
    ['table', tableEmbedderRepo()],
  ])('%s lists on the Hub as one fp32 variant with every file', (name, files) => {
    const repo = new HubRepo({ repo: `test/${name}` });
    const sha = repo.commit(files);
    const variants = hubVariants(repo.tree(sha) as HubFileEntry[]);
    expect(variants.map((v) => v.dtype)).toEqual(['fp32']);
    expect([...(variants[0]?.files ?? [])].sort()).toEqual(Object.keys(files).sort());
  });

  it('the colour classifier ranks a red photo red first, with the computed scores', async () => {
    const classify = await pipeline('image-classification', 'colours', { dtype: 'fp32' });
    const got = (await classify(solid(40, 30, [255, 0, 0]), { top_k: 5 })) as {
      label: string;
      score: number;
    }[];
    const want = colourScores([255, 0, 0]);
    expect(got.map((r) => r.label)).toEqual(want.map((r) => r.label));
    expect(got[0]?.label).toBe('red');
    got.forEach((r, i) => {
      expect(r.score).toBeCloseTo(want[i]?.score ?? -1, 5);
    });
    await classify.dispose();
  });

  it('the box detector finds the cat and the dog, boxes as fractions of the photo', async () => {
    const detect = await pipeline('object-detection', 'boxes', { dtype: 'fp32' });
    const photo = solid(200, 100, [9, 9, 9]);
    const got = (await detect(photo, { threshold: 0.9, percentage: true })) as {
      label: string;
      score: number;
      box: Record<string, number>;
    }[];
    const want = expectedDetections(0.9);
    expect(want.map((d) => d.label)).toEqual(['cat', 'dog']);
    expect(got.map((d) => d.label)).toEqual(['cat', 'dog']);
    got.forEach((d, i) => {
      expect(d.score).toBeCloseTo(want[i]?.score ?? -1, 5);
      for (const key of ['xmin', 'ymin', 'xmax', 'ymax'] as const)
        expect(d.box[key]).toBeCloseTo(want[i]?.box[key] ?? -1, 5);
    });
    await detect.dispose();
  });

  it('the table embedder tokenizes with [CLS]/[SEP] and gives the mean-pooled vectors', async () => {
    const embed = await pipeline('feature-extraction', 'table', { dtype: 'fp32' });
    expect(Array.from(embed.tokenizer('The cat sat.').input_ids.data, Number)).toEqual(
      embedderTokenIds('The cat sat.'),
    );
    const sentences = ['The cat sat on the mat.', 'A kitten slept.', 'The truck drove on a road.'];
    const out = await embed(sentences, { pooling: 'mean', normalize: true });
    const rows = out.tolist() as number[][];
    rows.forEach((row, i) => {
      const want = expectedEmbedding(sentences[i] ?? '');
      row.forEach((x, d) => {
        expect(x).toBeCloseTo(want[d] ?? NaN, 5);
      });
    });
    await embed.dispose();
  });
});
