// Nothing starts on import: every module under src/ loads in Node with the
// browser's globals stubbed to throw on any access, so no module builds a
// worker, channel, engine or database handle, or reads the browser, as a side
// effect of being imported. The composition root (src/app/compose.ts) builds them.

import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

// tfjs-tflite's own module code starts its Emscripten loader when imported
// (an async task that reads `self.location` and rejects in Node). That is the
// library's behaviour, not ours, and only the TFLite worker imports it; the
// stand-in lets this test still import our modules that use it.
vi.mock('@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js', () => ({
  loadTFLiteModel: () => Promise.reject(new Error('not in this test')),
  setWasmPath: () => {},
}));

/** Modules left out, each with why. */
const EXCLUDED: Record<string, string> = {
  // Entry points: running on import is their job.
  'src/main.tsx': 'the page entry point: renders the app and starts it',
  'src/sw/sw.ts': 'the service worker entry point: registers its event handlers',
};

/** Globals only a browser has (or that reach the network); reading one on import is a side effect. */
const BROWSER_GLOBALS = [
  'window',
  'self',
  'document',
  'navigator',
  'location',
  'BroadcastChannel',
  'Worker',
  'SharedWorker',
  'indexedDB',
  'localStorage',
  'sessionStorage',
  'caches',
  'fetch',
  'addEventListener',
  'postMessage',
  'importScripts',
];

function sourceModules(): string[] {
  return readdirSync(join(ROOT, 'src'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((file) => !(file in EXCLUDED))
    .sort();
}

const saved = new Map<string, PropertyDescriptor | undefined>();
const touched: string[] = [];

/**
 * Whether the code reading a global is a library's (node_modules). Libraries
 * feature-detect at import (`typeof window`), which starts nothing: they see
 * the global missing, as in Node. Our own modules may not read it at all.
 */
function readByLibrary(): boolean {
  // Frames: this function, the getter, then the code that read the global.
  const reader = new Error().stack?.split('\n')[3] ?? '';
  return reader.includes('/node_modules/');
}

beforeEach(() => {
  touched.length = 0;
  for (const name of BROWSER_GLOBALS) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        if (readByLibrary()) return undefined;
        touched.push(name);
        throw new Error(`${name} was read while importing`);
      },
      set(value: unknown) {
        if (readByLibrary()) return void value;
        touched.push(name);
        throw new Error(`${name} was written while importing`);
      },
    });
  }
});

afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  saved.clear();
});

describe('importing a module starts nothing', () => {
  it('finds the modules to import, and the stubs throw', () => {
    expect(sourceModules()).toContain('src/app/compose.ts');
    expect(sourceModules()).toContain('src/download/tabCoordinator.ts');
    expect(() => (globalThis as unknown as { navigator: unknown }).navigator).toThrow(
      'navigator was read while importing',
    );
  });

  it.each(sourceModules())('%s imports without touching a browser global', async (file) => {
    vi.resetModules();
    await expect(import(join(ROOT, file))).resolves.toBeDefined();
    expect(touched).toEqual([]);
  });
});
