// Playwright fixtures: each test gets its own app server and model server on
// free ports, and a real Chromium with a fresh, empty profile.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, test as base, chromium } from '@playwright/test';
import { MODELS_ROOT } from '../../tools/demo-model';
import { type AppServer, createAppServer } from '../../tools/serve/appServer';
import { createModelServer } from '../../tools/serve/modelServer';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import { createNetworkSwitch, type NetworkSwitch } from './networkSwitch';

export const DIST = resolve(import.meta.dirname, '../../dist');
/** Test pages built from tests/browser/pages by globalSetup. */
export const HARNESS_DIST = resolve(import.meta.dirname, '../../dist-harness');

type ModelServer = Awaited<ReturnType<typeof createModelServer>>;

export interface Servers {
  /** Serves the built app (dist/). */
  app: AppServer;
  /** Serves the test pages (dist-harness/), with the same headers as the app. */
  harness: AppServer;
  models: ModelServer;
}

export const test = base.extend<{
  servers: Servers;
  network: NetworkSwitch;
  context: BrowserContext;
}>({
  network: async ({}, use) => {
    const network = await createNetworkSwitch();
    await use(network);
    await network.close();
  },
  servers: async ({}, use) => {
    const models = await createModelServer({ root: MODELS_ROOT });
    const config = { modelHost: `${models.url.replace(/\/$/, '')}/` };
    const app = await createAppServer({ root: DIST, config });
    const harness = await createAppServer({ root: HARNESS_DIST, config });
    await use({ app, harness, models });
    await Promise.all([app.close(), harness.close(), models.close()]);
  },
  context: async ({ network }, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'runanywhere-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      args: [...CHROMIUM_ARGS, ...network.chromiumArgs],
    });
    await use(context);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  },
  page: async ({ context }, use) => {
    await use(context.pages()[0] ?? (await context.newPage()));
  },
});

export { expect } from '@playwright/test';
