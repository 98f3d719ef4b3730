// Vite plugin: after the app is built, bundles src/sw/sw.ts into dist/sw.js,
// injects Workbox's revisioned precache list of the app shell (workbox-build's
// injectManifest) and each runtime's files, then writes compressed copies.

import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { injectManifest } from 'workbox-build';
import { sortBuiltFiles } from '../../src/core/swAssets.ts';
import { compressBuiltFiles } from './compress.ts';

export async function listBuiltFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Hashed file names (`index-Do4iDXPk.js`) are their own revision. */
export const HASHED = /-[A-Za-z0-9_-]{8}\.\w+$/;

export function serviceWorkerPlugin(entry = 'src/sw/sw.ts'): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'runanywhere:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      // Worker sub-builds also run this hook; only the app build has an index.html.
      const outDir = resolve(config.root, config.build.outDir);
      const files = await listBuiltFiles(outDir);
      if (!files.includes('index.html')) return;
      const assets = sortBuiltFiles(files);
      await build({
        configFile: false,
        logLevel: 'warn',
        root: config.root,
        define: {
          __RUNTIME_FILES__: JSON.stringify(assets.runtimes),
          // Workbox logs only in development builds.
          'process.env.NODE_ENV': JSON.stringify('production'),
        },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          minify: true,
          lib: { entry, formats: ['iife'], name: 'sw', fileName: () => 'sw.js' },
        },
      });
      const swFile = join(outDir, 'sw.js');
      const { count, size, warnings } = await injectManifest({
        swSrc: swFile,
        swDest: swFile,
        globDirectory: outDir,
        globPatterns: assets.precache,
        dontCacheBustURLsMatching: HASHED,
      });
      for (const warning of warnings) config.logger.warn(`service worker: ${warning}`);
      if (count !== assets.precache.length) {
        throw new Error(`precache lists ${count} files, expected ${assets.precache.length}`);
      }
      config.logger.info(
        `service worker: precaches ${count} files, ${(size / 1024).toFixed(0)} KB`,
      );
      await compressBuiltFiles(outDir, await listBuiltFiles(outDir));
    },
  };
}
