// Builds the demo model host folder `.models/`: converts the llama2.c
// TinyStories checkpoint from ../shared/models into a transformers.js model,
// packs it with a manifest, and writes the catalog. Skips work already done.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { convertLlama2c } from './llama2c/convert';
import { packModel, writeCatalog } from './pack/packModel';
import { packTaskModels } from './pack/taskModels';
import { createModelServer } from './serve/modelServer';

export const MODELS_ROOT = resolve(import.meta.dirname, '..', '.models');
const SHARED = resolve(import.meta.dirname, '..', '..', 'shared', 'models', 'llama2c');

export const DEMO_MODEL = {
  id: 'stories260k',
  version: '1.0.0',
  name: 'TinyStories 260K',
  description:
    'A tiny Llama trained on children’s stories (260K parameters, 1 MB). Start a story and it continues it.',
} as const;

/**
 * Converts and packs the demo model unless an up-to-date copy exists, packs the
 * task models of ../shared/models beside it (a note when they are missing), and
 * rewrites the catalog.
 */
export async function buildDemoModels(
  root = MODELS_ROOT,
): Promise<{ ok: boolean; message: string; tasks: string }> {
  const story = await buildStoryModel(root);
  const tasks = await packTaskModels(root);
  if (story.ok) await writeCatalog(root);
  return { ...story, tasks: tasks.message };
}

async function buildStoryModel(root: string): Promise<{ ok: boolean; message: string }> {
  const checkpointPath = join(SHARED, 'stories260K.bin');
  const tokenizerPath = join(SHARED, 'tok512.bin');
  if (!existsSync(checkpointPath) || !existsSync(tokenizerPath)) {
    return {
      ok: false,
      message:
        `Demo model sources not found in ${SHARED}. Place stories260K.bin and tok512.bin there ` +
        '(upstream: DaveBben/esp32-llm @934dab4, data/stories260K.bin and data/tok512.bin).',
    };
  }
  const dir = join(root, DEMO_MODEL.id, DEMO_MODEL.version);
  const stampFile = join(root, '.demo-stamp');
  const stamp = await sourceStamp();
  if (existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === stamp) {
    return { ok: true, message: `Demo model up to date in ${dir}` };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await convertLlama2c({ checkpointPath, tokenizerPath, outDir: dir });
  await packModel({
    dir,
    id: DEMO_MODEL.id,
    name: DEMO_MODEL.name,
    version: DEMO_MODEL.version,
    framework: 'transformers',
    task: 'text-generation',
    license: 'MIT',
    description: DEMO_MODEL.description,
    variants: [
      { backend: 'wasm', dtype: 'fp32', memoryBytes: 16 * 1024 * 1024, requiredFeatures: [] },
    ],
  });
  await writeFile(stampFile, stamp);
  return { ok: true, message: `Demo model written to ${dir}` };
}

/**
 * The local model host of `npm start` and `npm run dev`: builds the demo model
 * if needed, then serves `.models/` on MODEL_PORT (default 8081) and HOST.
 */
export async function startDemoModelHost() {
  const demo = await buildDemoModels();
  if (!demo.ok) console.warn(`warning: ${demo.message}`);
  console.log(demo.tasks);
  const server = await createModelServer({
    root: MODELS_ROOT,
    port: Number(process.env.MODEL_PORT ?? 8081),
    host: process.env.HOST ?? '127.0.0.1',
  });
  /** The URL the app's config.json names, with its trailing slash. */
  const modelHost = `${server.url.replace(/\/$/, '')}/`;
  return { server, modelHost };
}

/** A hash of the code that produces the demo model: a change rebuilds it. */
async function sourceStamp(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of ['llama2c', 'onnx', 'pack']) {
    const folder = resolve(import.meta.dirname, dir);
    for (const name of (await readdir(folder)).sort())
      hash.update(await readFile(join(folder, name)));
  }
  hash.update(await readFile(import.meta.filename));
  return hash.digest('hex');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await buildDemoModels();
  console.log(result.message);
  console.log(result.tasks);
  if (!result.ok) process.exitCode = 1;
}
