import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type InlineConfig } from 'vite';

// Test pages for the browser suites: each `tests/browser/pages/*.html` imports
// modules from src/ and exposes them on `window` for Playwright to drive. They
// are built like the app (production bundles, real workers) into dist-harness/,
// one build per page so that one broken page cannot stop the others.
export const HARNESS_PAGES_DIR = resolve(import.meta.dirname, 'tests/browser/pages');
export const HARNESS_OUT_DIR = resolve(import.meta.dirname, 'dist-harness');

export function harnessPages(): string[] {
  return readdirSync(HARNESS_PAGES_DIR)
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.replace(/\.html$/, ''));
}

export function harnessConfig(page: string): InlineConfig {
  return {
    configFile: false,
    root: HARNESS_PAGES_DIR,
    base: './',
    publicDir: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    worker: { format: 'es' },
    build: {
      outDir: HARNESS_OUT_DIR,
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      chunkSizeWarningLimit: 5000,
      rolldownOptions: { input: { [page]: resolve(HARNESS_PAGES_DIR, `${page}.html`) } },
    },
  };
}

export default defineConfig(harnessConfig(process.env.HARNESS_PAGE ?? 'smoke'));
