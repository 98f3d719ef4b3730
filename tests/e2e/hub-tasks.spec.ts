// The task screens of Hub models (transformers.js pipelines) as a user meets
// them, against the test Hub (tools/hub) serving generated models in
// transformers.js layout: the share link → Download → Open → run, in real
// Chromium with the built app. Every expected label, score, box and similarity
// is computed from the generated model (tools/hub/models), not recorded.

import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { HubRepo } from '../../tools/hub/hubRepos';
import { createHubServer, type HubServer } from '../../tools/hub/hubServer';
import { boxDetectorRepo, expectedDetections } from '../../tools/hub/models/boxDetector';
import { colourClassifierRepo, colourScores } from '../../tools/hub/models/colourClassifier';
import type { RepoFiles } from '../../tools/hub/models/repoFiles';
import { expectedEmbedding, tableEmbedderRepo } from '../../tools/hub/models/tableEmbedder';
import { type AppServer, createAppServer } from '../../tools/serve/appServer';
import { DIST, expect, test } from '../support/fixtures';

interface TestRepo {
  repo: string;
  task: string;
  files: RepoFiles;
}

const COLOURS: TestRepo = {
  repo: 'test/colour-classifier',
  task: 'image-classification',
  files: colourClassifierRepo(),
};
const BOXES: TestRepo = {
  repo: 'test/box-detector',
  task: 'object-detection',
  files: boxDetectorRepo(),
};
const TABLE: TestRepo = {
  repo: 'test/table-embedder',
  task: 'feature-extraction',
  files: tableEmbedderRepo(),
};

async function serve(repos: TestRepo[]): Promise<{ hub: HubServer; app: AppServer }> {
  const hub = await createHubServer({
    repos: repos.map(({ repo, task, files }) => {
      const hubRepo = new HubRepo({ repo, task, license: 'mit' });
      hubRepo.commit(files);
      return hubRepo;
    }),
  });
  // The production config's shape: the Hub only, no model host.
  const app = await createAppServer({ root: DIST, config: { hubEndpoint: hub.url } });
  return { hub, app };
}

/** Opens the share link, downloads the only variant, and opens the task screen from the panel. */
async function installAndOpen(page: Page, app: AppServer, repo: string): Promise<void> {
  await page.goto(`${app.url.replace(/\/$/, '')}/#/models/add?repo=${repo}&revision=main`);
  const report = page.getByTestId('hub-report');
  await expect(report.getByTestId('variant-verdict').first()).toContainText('Runs here');
  await report.getByTestId('hub-download').click();
  await expect(report.getByTestId('hub-installed')).toBeVisible({ timeout: 60_000 });
  await report.getByTestId('open-task').click();
  await expect(page.getByTestId('task-loading').or(page.getByTestId('task-loaded'))).toBeVisible();
}

/** Loading compiles onnxruntime's WebAssembly in a fresh worker: slow on a busy machine. */
const LOAD_TIMEOUT = { timeout: 120_000 };

async function solidPng(width: number, height: number, rgb: [number, number, number]) {
  const [r, g, b] = rgb;
  const buffer = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return { name: 'photo.png', mimeType: 'image/png', buffer };
}

test('image classification: a red photo is "red" first, with the model’s five scores', async ({
  page,
}) => {
  const { hub, app } = await serve([COLOURS]);
  try {
    await installAndOpen(page, app, COLOURS.repo);
    await expect(page.getByTestId('task-loaded')).toContainText(
      /Loaded in [\d.]+ ms · transformers\.js on WASM · fp32/,
      LOAD_TIMEOUT,
    );
    const resolvesBefore = hub.stats.resolves.length;
    await page.getByTestId('image-file').setInputFiles(await solidPng(40, 30, [255, 0, 0]));
    const rows = page.getByTestId('image-top5').locator('li');
    const want = colourScores([255, 0, 0]);
    await expect(rows).toHaveCount(want.length);
    expect(await rows.evaluateAll((li) => li.map((el) => el.getAttribute('data-label')))).toEqual(
      want.map((w) => w.label),
    );
    const scores = await rows.evaluateAll((li) => li.map((el) => Number(el.dataset.score)));
    scores.forEach((score, i) => {
      expect(score).toBeCloseTo(want[i]?.score ?? -1, 5);
    });
    await expect(rows.first()).toContainText(`red${((want[0]?.score ?? 0) * 100).toFixed(1)}%`);
    await expect(page.getByTestId('run-time')).toContainText(/Ran in [\d.]+ ms/);
    // The run read the stored model: nothing more was asked of the Hub.
    expect(hub.stats.resolves.length).toBe(resolvesBefore);
  } finally {
    await app.close();
    await hub.close();
  }
});

test('object detection: the cat and the dog are boxed over the photo with their labels as text', async ({
  page,
}) => {
  const { hub, app } = await serve([BOXES]);
  try {
    await installAndOpen(page, app, BOXES.repo);
    await expect(page.getByTestId('task-loaded')).toContainText(
      'transformers.js on WASM',
      LOAD_TIMEOUT,
    );
    await page.getByTestId('image-file').setInputFiles(await solidPng(200, 100, [30, 90, 60]));
    const want = expectedDetections(0.9);
    const boxes = page.getByTestId('detection-box');
    await expect(boxes).toHaveCount(want.length);
    const drawn = await boxes.evaluateAll((divs) =>
      divs.map((div) => {
        const el = div as HTMLElement;
        return {
          label: el.dataset.label,
          text: el.textContent,
          left: Number.parseFloat(el.style.left),
          top: Number.parseFloat(el.style.top),
          width: Number.parseFloat(el.style.width),
          height: Number.parseFloat(el.style.height),
        };
      }),
    );
    drawn.forEach((box, i) => {
      const w = want[i];
      if (!w) throw new Error(`box ${i} was not expected`);
      expect(box.label).toBe(w.label);
      expect(box.text).toBe(`${w.label} ${(w.score * 100).toFixed(1)}%`);
      expect(box.left).toBeCloseTo(w.box.xmin * 100, 3);
      expect(box.top).toBeCloseTo(w.box.ymin * 100, 3);
      expect(box.width).toBeCloseTo((w.box.xmax - w.box.xmin) * 100, 3);
      expect(box.height).toBeCloseTo((w.box.ymax - w.box.ymin) * 100, 3);
    });
    // Drawn over the photo: the cat's box sits in the photo's left half, where its corners say.
    const photo = await page.getByTestId('detection-frame').locator('img').boundingBox();
    const cat = await boxes.first().boundingBox();
    if (!photo || !cat) throw new Error('the photo or its box is not visible');
    expect(cat.x - photo.x).toBeCloseTo(photo.width * (want[0]?.box.xmin ?? -1), 0);
    expect(cat.width).toBeCloseTo(photo.width * 0.3, 0);
    await expect(page.getByTestId('run-time')).toContainText(/Ran in [\d.]+ ms/);
  } finally {
    await app.close();
    await hub.close();
  }
});

test('sentence embeddings: three sentences give the pooled vectors and their similarity matrix', async ({
  page,
}) => {
  const { hub, app } = await serve([TABLE]);
  try {
    await installAndOpen(page, app, TABLE.repo);
    await expect(page.getByTestId('task-loaded')).toContainText(
      'transformers.js on WASM',
      LOAD_TIMEOUT,
    );
    const sentences = ['The cat sat on the mat.', 'A kitten slept.', 'The truck drove on a road.'];
    await page.getByTestId('embedding-input').fill(sentences.join('\n'));
    await page.getByRole('button', { name: 'Compare' }).click();
    const cells = page.getByTestId('similarity').locator('td');
    await expect(cells).toHaveCount(9);
    const values = await cells.evaluateAll((tds) => tds.map((td) => Number(td.dataset.value)));
    const vectors = sentences.map(expectedEmbedding);
    const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
    values.forEach((value, k) => {
      const i = Math.floor(k / 3);
      const j = k % 3;
      expect(value).toBeCloseTo(dot(vectors[i] ?? [], vectors[j] ?? []), 5);
    });
    // The two animal sentences are closer to each other than to the truck.
    expect(values[1]).toBeGreaterThan((values[2] ?? 1) + 0.3);
    const shown = await page
      .getByTestId('embeddings')
      .locator('li')
      .evaluateAll((li) => li.map((el) => JSON.parse(el.getAttribute('data-vector') ?? '[]')));
    shown.forEach((vector: number[], i) => {
      vector.forEach((x, d) => {
        expect(x).toBeCloseTo(vectors[i]?.[d] ?? Number.NaN, 5);
      });
    });
  } finally {
    await app.close();
    await hub.close();
  }
});

test('a model that cannot load says so (model-load-failed), and the next model loads and runs', async ({
  page,
}) => {
  const broken: TestRepo = {
    repo: 'test/broken-detector',
    task: 'object-detection',
    files: {
      ...boxDetectorRepo(),
      'onnx/model.onnx': new TextEncoder().encode('not an onnx model'),
    },
  };
  const { hub, app } = await serve([broken, COLOURS]);
  try {
    await installAndOpen(page, app, broken.repo);
    await expect(page.getByTestId('task-error')).toHaveAttribute(
      'data-code',
      'model-load-failed',
      LOAD_TIMEOUT,
    );
    await page.getByRole('button', { name: 'Back to models' }).click();

    await installAndOpen(page, app, COLOURS.repo);
    await expect(page.getByTestId('task-loaded')).toContainText(
      'transformers.js on WASM',
      LOAD_TIMEOUT,
    );
    await page.getByTestId('image-file').setInputFiles(await solidPng(8, 8, [255, 255, 255]));
    await expect(page.getByTestId('image-top5').locator('li').first()).toHaveAttribute(
      'data-label',
      colourScores([255, 255, 255])[0]?.label ?? '',
    );
    expect(colourScores([255, 255, 255])[0]?.label).toBe('bright');
  } finally {
    await app.close();
    await hub.close();
  }
});

test('the bundled catalog card of a Hub classifier downloads it and opens its screen', async ({
  page,
}) => {
  // The catalog's own repo id, served by the test Hub with the generated
  // classifier in its place (the real repo is not reachable here).
  const { hub, app } = await serve([{ ...COLOURS, repo: 'Xenova/vit-base-patch16-224' }]);
  try {
    await page.goto(app.url);
    const card = page.getByTestId('model-vit-base-patch16-224');
    await expect(card.getByTestId('hub-sizes')).toContainText('image-classification');
    await expect(card.getByTestId('open-task')).toHaveCount(0);
    await card.getByRole('button', { name: 'Choose & download…' }).click();
    await page.getByTestId('hub-report').getByTestId('hub-download').click();
    await expect(card.getByTestId('installed')).toBeVisible({ timeout: 60_000 });
    await card.getByTestId('open-task').click();
    await expect(page.getByTestId('task-loaded')).toContainText(
      'transformers.js on WASM',
      LOAD_TIMEOUT,
    );
    await page.getByTestId('image-file').setInputFiles(await solidPng(16, 16, [0, 0, 255]));
    await expect(page.getByTestId('image-top5').locator('li').first()).toHaveAttribute(
      'data-label',
      'blue',
    );
    expect(colourScores([0, 0, 255])[0]?.label).toBe('blue');
  } finally {
    await app.close();
    await hub.close();
  }
});
