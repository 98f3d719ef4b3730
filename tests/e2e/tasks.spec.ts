// Each task screen as a user meets it, on the real models of ../shared/models:
// install the model from the Models screen, open it from its card, and get the
// README's expected outputs through the screen (files picked, a digit drawn
// with pointer events, sentences typed).

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SHARED_MODELS, TASK_MODEL_IDS } from '../../tools/pack/taskModels';
import { expect, test } from '../support/fixtures';

test.skip(
  !existsSync(SHARED_MODELS),
  `${SHARED_MODELS} is missing: the task models are not packed, so their screens cannot be tested`,
);

/** Downloads a model from its card on the Models screen and opens its task screen. */
async function installAndOpen(page: Page, appUrl: string, id: string) {
  await page.goto(appUrl);
  const card = page.getByTestId(`model-${id}`);
  await expect(card.getByTestId('verdict')).toContainText('Runs on this device: WASM');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  await card.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('task-loaded')).toContainText(/Loaded in [\d.]+ ms/);
}

test('digit recognition: sample0..9.png picked as files are read as 0..9, and a drawn 1 is a 1', async ({
  page,
  servers,
}) => {
  await installAndOpen(page, servers.app.url, TASK_MODEL_IDS.digits);
  await expect(page.getByTestId('task-loaded')).toContainText('onnxruntime-web on WASM');
  const seen: number[] = [];
  for (let digit = 0; digit <= 9; digit++) {
    const file = join(SHARED_MODELS, 'onnx', 'digits', `sample${digit}.png`);
    await page.getByTestId('digit-file').setInputFiles(file);
    // Each pick replaces the result: wait for this file's run, not the last one's.
    await expect(page.getByTestId('digit-result')).toHaveText(String(digit));
    seen.push(Number(await page.getByTestId('digit-result').textContent()));
  }
  expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await expect(page.getByTestId('digit-scores').locator('li')).toHaveCount(10);
  await expect(page.getByTestId('run-time')).toContainText(/Ran in [\d.]+ ms/);

  // A "1" drawn as one vertical stroke, through real pointer events on the pad.
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('digit-result')).toHaveCount(0);
  const box = await page.getByTestId('digit-pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++) {
    await page.mouse.move(x, box.y + box.height * (0.15 + 0.07 * step));
  }
  await page.mouse.up();
  await expect(page.getByTestId('digit-result')).toHaveText('1');
});

test('image classification: the dog photo is a Samoyed (258) top-1, with five labels and scores', async ({
  page,
  servers,
}) => {
  // The README's dog is the model's preprocessed int8 input; turned back into
  // an RGB PNG here, it goes through the screen's real path (file → decode →
  // resize → normalize → quantize).
  const raw = new Int8Array(
    (await readFile(join(SHARED_MODELS, 'tflite', 'dog_int8_1x3x224x224.bin'))).buffer.slice(0),
  );
  await installAndOpen(page, servers.app.url, TASK_MODEL_IDS.image);
  await expect(page.getByTestId('task-loaded')).toContainText('tfjs-tflite on WASM');
  const png = await page.evaluate(async (values) => {
    const q = { scale: 0.018631115555763245, zeroPoint: -14 };
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const n = 224 * 224;
    const rgba = new Uint8ClampedArray(n * 4);
    for (let p = 0; p < n; p++) {
      for (let c = 0; c < 3; c++) {
        const real = q.scale * ((values[c * n + p] as number) - q.zeroPoint);
        rgba[p * 4 + c] = Math.round((real * (std[c] as number) + (mean[c] as number)) * 255);
      }
      rgba[p * 4 + 3] = 255;
    }
    const canvas = new OffscreenCanvas(224, 224);
    canvas.getContext('2d')?.putImageData(new ImageData(rgba, 224, 224), 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  }, Array.from(raw));
  await page.getByTestId('image-file').setInputFiles({
    name: 'dog.png',
    mimeType: 'image/png',
    buffer: Buffer.from(png),
  });
  const top = page.getByTestId('image-top5').locator('li');
  await expect(top).toHaveCount(5);
  await expect(top.first()).toHaveAttribute('data-index', '258');
  await expect(top.first()).toContainText('Samoyed');
  const indices = await top.evaluateAll((items) =>
    items.map((li) => Number(li.getAttribute('data-index'))),
  );
  // The README's top-5 for the raw bytes: 258, 259, 261, 203, 257.
  expect(
    indices.filter((i) => [258, 259, 261, 203, 257].includes(i)).length,
  ).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('run-time')).toContainText(/Ran in [\d.]+ ms/);
});

test('text embeddings: "The film is a" gives the README vector (±1e-4) and a similarity matrix', async ({
  page,
  servers,
}) => {
  await installAndOpen(page, servers.app.url, TASK_MODEL_IDS.embedding);
  await expect(page.getByTestId('task-loaded')).toContainText('litert on WASM');
  // Ids [1, 3, 16, 9, 4]: <START> the film is a.
  await page.getByTestId('embedding-input').fill('The film is a\nthe film is a\na boring movie');
  await page.getByRole('button', { name: 'Compare' }).click();
  const matrix = page.getByTestId('similarity');
  await expect(matrix.locator('tbody tr')).toHaveCount(3);
  const vector = JSON.parse(
    (await page.getByTestId('embeddings').locator('li').first().getAttribute('data-vector')) ??
      '[]',
  ) as number[];
  const expected = [
    0.0315, 0, 0, 0, 0, 0, 0, 0, 0.03099, 0.03022, 0.00863, 0.00815, 0.01574, 0, 0, 0,
  ];
  expect(vector).toHaveLength(16);
  for (const [i, value] of expected.entries())
    expect(Math.abs((vector[i] as number) - value)).toBeLessThanOrEqual(1e-4);
  const cell = async (row: number, col: number) =>
    Number(
      await matrix.locator('tbody tr').nth(row).locator('td').nth(col).getAttribute('data-value'),
    );
  // Case does not matter to the tokenizer: the first two sentences are the same vector.
  expect(await cell(0, 0)).toBeCloseTo(1, 5);
  expect(await cell(0, 1)).toBeCloseTo(1, 5);
  expect(await cell(2, 0)).toBeCloseTo(await cell(0, 2), 6);
  // The third sentence is a vector of its own (this small model's vectors all
  // point much the same way, so its cosine stays near 1: only the values differ).
  const third = JSON.parse(
    (await page.getByTestId('embeddings').locator('li').nth(2).getAttribute('data-vector')) ?? '[]',
  ) as number[];
  expect(third).toHaveLength(16);
  expect(third).not.toEqual(vector);
  await expect(page.getByTestId('run-time')).toContainText(/Ran in [\d.]+ ms/);
});
