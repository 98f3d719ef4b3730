// A test fixture: the demo model repacked with 32 KiB chunks and served by its
// own model server, so a download is many requests (something to pause, or to
// cut off mid-way), not one 8 MiB chunk per file.

import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/core/manifest';
import { MODELS_ROOT } from '../../tools/demo-model';
import { packModel, writeCatalog } from '../../tools/pack/packModel';
import { createAppServer } from '../../tools/serve/appServer';
import { createModelServer } from '../../tools/serve/modelServer';
import { DIST, test } from './fixtures';

export const CHUNK = 32 * 1024;
export const MODEL = 'stories260k/1.0.0';

export const smallChunks = test.extend<{ pack: { root: string; manifest: ModelManifest } }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  pack: async ({}, use) => {
    const root = await mkdtemp(join(tmpdir(), 'runanywhere-small-chunks-'));
    const dir = join(root, MODEL);
    await cp(join(MODELS_ROOT, MODEL), dir, { recursive: true });
    const demo = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
    const manifest = await packModel({ ...demo, dir, chunkSize: CHUNK });
    await writeCatalog(root);
    await use({ root, manifest });
    await rm(root, { recursive: true, force: true });
  },
  servers: async ({ pack }, use) => {
    const models = await createModelServer({ root: pack.root });
    const config = { modelHost: `${models.url.replace(/\/$/, '')}/` };
    const app = await createAppServer({ root: DIST, config });
    await use({ app, harness: app, models });
    await Promise.all([app.close(), models.close()]);
  },
});
