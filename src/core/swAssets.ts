// Sorts the files of a build into what the service worker precaches (the app
// shell) and what each runtime adds when a model that needs it is installed.
// Pure, so the build, `npm run size` and the tests share one answer.

import type { Framework } from './manifest';

/** A runtime the app can cache on its own: every framework but the built-in one. */
export type RuntimeName = Exclude<Framework, 'builtin'>;

export const RUNTIMES: readonly RuntimeName[] = ['transformers', 'onnx', 'tflite'];

export interface ServiceWorkerAssets {
  /** The app shell, precached on the first visit. */
  precache: string[];
  /** Files each runtime needs, cached when a model of that framework is installed. */
  runtimes: Record<RuntimeName, string[]>;
  /** Neither: source maps, the SW itself, `config.json`, compressed copies. */
  ignored: string[];
}

/** Files that never go into any cache. `config.json` has its own network-first route. */
const IGNORED = [/\.map$/, /^sw\.js$/, /^config\.json$/, /\.(br|gz)$/];

/** onnxruntime-web's `.wasm`/`.mjs`, both builds (plain for wasm, asyncify for WebGPU/WebNN: runtimes/ortEnvironment); transformers.js runs on it as well. */
const ORT = /^assets\/ort-[^/]+\.(wasm|mjs)$/;

const RUNTIME_FILES: Record<RuntimeName, RegExp[]> = {
  transformers: [/^assets\/transformers\.worker-[^/]+\.js$/, ORT],
  onnx: [/^assets\/onnx\.worker-[^/]+\.js$/, ORT],
  tflite: [
    /^assets\/tflite\.worker-[^/]+\.js$/,
    /^assets\/tfliteWorkerMain-[^/]+\.js$/,
    /^assets\/litert_[^/]+\.(js|wasm)$/,
    /^assets\/tflite_web_api_[^/]+\.(js|wasm)$/,
  ],
};

/** Runtime code must never slip into the precache unnoticed: these fail the build. */
const RUNTIME_LOOKING = /\.(wasm|mjs)$/;

/** The runtimes a model of this framework needs (none for the built-in one). */
export function runtimesFor(framework: Framework): RuntimeName[] {
  return framework === 'builtin' ? [] : [framework];
}

/**
 * Sorts built files (paths relative to dist/, `/`-separated). Throws when a
 * `.wasm` or `.mjs` belongs to no runtime: a new runtime must be named here,
 * not precached by default.
 */
export function sortBuiltFiles(files: readonly string[]): ServiceWorkerAssets {
  const assets: ServiceWorkerAssets = {
    precache: [],
    runtimes: { transformers: [], onnx: [], tflite: [] },
    ignored: [],
  };
  for (const file of [...files].sort()) {
    if (IGNORED.some((re) => re.test(file))) {
      assets.ignored.push(file);
      continue;
    }
    const owners = RUNTIMES.filter((r) => RUNTIME_FILES[r].some((re) => re.test(file)));
    for (const runtime of owners) assets.runtimes[runtime].push(file);
    if (owners.length > 0) continue;
    if (RUNTIME_LOOKING.test(file)) {
      throw new Error(
        `${file} looks like runtime code but belongs to no runtime: name it in src/core/swAssets.ts`,
      );
    }
    assets.precache.push(file);
  }
  return assets;
}
