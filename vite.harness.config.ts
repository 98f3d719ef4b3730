import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Test pages for the browser suites: each `tests/browser/pages/*.html` imports
// modules from src/ and exposes them on `window` for Playwright to drive. They
// are built like the app (production bundles, real workers) into dist-harness/.
const pagesDir = resolve(import.meta.dirname, 'tests/browser/pages');
const input = Object.fromEntries(
  readdirSync(pagesDir)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), resolve(pagesDir, f)]),
);

export default defineConfig({
  root: pagesDir,
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'dist-harness'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 5000,
    rolldownOptions: { input },
  },
});
