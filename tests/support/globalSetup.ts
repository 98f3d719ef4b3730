// Before the browser tests: the app must be built and the demo model packed.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDemoModels } from '../../tools/demo-model';
import { buildHarness } from './buildHarness';
import { findChromium } from './chromium';

export default async function globalSetup() {
  findChromium(); // fail early, with the install command, when there is no browser
  if (!existsSync(resolve(import.meta.dirname, '../../dist/index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` before the browser tests.');
  }
  // The test pages are built fresh every run, like the app, from current sources.
  await buildHarness();
  const demo = await buildDemoModels();
  if (!demo.ok) throw new Error(demo.message);
}
