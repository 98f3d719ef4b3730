// Takes the README screenshot (docs/screenshot.png): the built app in
// Chromium with the demo model downloaded and one story continued.
// Run after `npm run build`: `tsx tools/screenshot.ts`.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../tests/support/chromium';
import { buildDemoModels, MODELS_ROOT } from './demo-model';
import { createAppServer } from './serve/appServer';
import { createModelServer } from './serve/modelServer';

const demo = await buildDemoModels();
if (!demo.ok) throw new Error(demo.message);
const models = await createModelServer({ root: MODELS_ROOT });
const app = await createAppServer({
  root: resolve(import.meta.dirname, '..', 'dist'),
  config: { modelHost: `${models.url}/` },
});
const profile = await mkdtemp(join(tmpdir(), 'runanywhere-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: findChromium(),
  args: CHROMIUM_ARGS,
  viewport: { width: 900, height: 640 },
  deviceScaleFactor: 1,
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(app.url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await card.getByTestId('installed').waitFor();
  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  await page
    .getByRole('textbox', { name: 'Message' })
    .fill('Once upon a time, there was a little dog');
  await page.getByRole('button', { name: 'Send' }).click();
  await page
    .locator('.message[data-role="assistant"][data-state="done"]')
    .waitFor({ timeout: 60_000 });
  const out = resolve(import.meta.dirname, '..', 'docs', 'screenshot.png');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
  await app.close();
  await models.close();
}
