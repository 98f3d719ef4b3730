// The import rules of biome.json bite: Biome itself lints throwaway modules
// placed in the real folders, and each forbidden import or global is reported
// where it is forbidden and nowhere else.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIOME = join(ROOT, 'node_modules/.bin/biome');
const TAG = `zzLintProbe${process.pid}`;

const IMPORT = 'lint/style/noRestrictedImports';
const GLOBAL = 'lint/style/noRestrictedGlobals';

/** [folder, code, the rules it must break (empty: it must pass)]. */
const CASES: Array<[string, string, string[]]> = [
  ['src/ui', "import * as ort from 'onnxruntime-web';\nexport const x = ort;", [IMPORT]],
  [
    'src/ui',
    "import url from 'onnxruntime-web/ort-wasm.wasm?url';\nexport const x = url;",
    [IMPORT],
  ],
  ['src/ui', "export const x = () => import('@litertjs/core');", [IMPORT]],
  ['src/core', "import '@tensorflow/tfjs-core';", [IMPORT]],
  ['src/download', "export { env } from '@huggingface/transformers';", [IMPORT]],
  ['src/storage', "import * as ort from 'onnxruntime-common';\nexport const x = ort;", [IMPORT]],
  ['workers', "import * as ort from 'onnxruntime-web/webgpu';\nexport const x = ort;", [IMPORT]],
  ['src/inference/runtimes', "import * as ort from 'onnxruntime-web';\nexport const x = ort;", []],
  ['src/ui', "import { openDB } from 'idb';\nexport const x = openDB;", [IMPORT]],
  ['src/inference/runtimes', "import { openDB } from 'idb';\nexport const x = openDB;", [IMPORT]],
  ['src/storage', "import { openDB } from 'idb';\nexport const x = openDB;", []],
  ['src/download', "export const x = () => indexedDB.open('x');", [GLOBAL]],
  ['src/storage', "export const x = () => indexedDB.open('x');", []],
  ['src/ui', "export const x = () => fetch('manifest.json');", [GLOBAL]],
  ['src/download', "export const x = () => fetch('manifest.json');", []],
  ['src/ui', "import type { Remote } from 'comlink';\nexport type X = Remote<number>;", []],
];

const files = CASES.map(([folder], i) => join(ROOT, folder, `${TAG}${i}.ts`));
/** Rule names reported per probe file, from Biome's GitHub reporter. */
const found = new Map<string, string[]>();

describe('biome.json import rules', () => {
  beforeAll(() => {
    CASES.forEach(([, code], i) => {
      const file = files[i] as string;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `// A probe for the lint rules.\n${code}\n`);
    });
    let output: string;
    try {
      output = execFileSync(BIOME, ['lint', '--reporter=github', ...files], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // Biome exits 1 when it reports errors; what it printed is what we check.
      const { status, stdout } = error as { status?: number; stdout?: string };
      if (status !== 1 || typeof stdout !== 'string') throw error;
      output = stdout;
    }
    for (const line of output.split('\n')) {
      const match = /^::error title=([^,]+),file=([^,]+),/.exec(line);
      if (match)
        found.set(match[2] as string, [
          ...(found.get(match[2] as string) ?? []),
          match[1] as string,
        ]);
    }
  });

  afterAll(() => {
    for (const file of files) rmSync(file, { force: true });
  });

  it.each(
    CASES.map(([folder, code, rules], i) => [folder, code.split('\n')[0], rules, i] as const),
  )('in %s/, `%s` breaks %j', (_folder, _code, rules, i) => {
    expect(found.get(files[i] as string) ?? []).toEqual(rules);
  });
});
