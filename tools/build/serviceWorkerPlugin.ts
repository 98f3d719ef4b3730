// Vite plugin: after the app is built, bundles src/sw/sw.ts into dist/sw.js
// with the list of every built file to precache and a build id derived from
// their contents (so any change to the app yields a new service worker).

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';

const SKIP = [/\.map$/, /^sw\.js$/, /^config\.json$/];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => !SKIP.some((re) => re.test(path)))
    .sort();
}

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
      const files = await listFiles(outDir);
      if (!files.includes('index.html')) return;
      const hash = createHash('sha256');
      for (const file of files) hash.update(file).update(await readFile(join(outDir, file)));
      await build({
        configFile: false,
        logLevel: 'warn',
        root: config.root,
        define: {
          __PRECACHE__: JSON.stringify(files),
          __BUILD_ID__: JSON.stringify(hash.digest('hex').slice(0, 16)),
        },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          minify: true,
          lib: { entry, formats: ['iife'], name: 'sw', fileName: () => 'sw.js' },
        },
      });
    },
  };
}
