import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { serviceWorkerPlugin } from './tools/build/serviceWorkerPlugin.ts';

// Cross-origin isolation for the dev server too, so dev matches production.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  base: './',
  // Benchmarks record which app version measured them.
  define: { __APP_VERSION__: JSON.stringify(version) },
  plugins: [serviceWorkerPlugin()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The dependency scanner transforms JSX on its own and needs the same setting.
  optimizeDeps: {
    rolldownOptions: { transform: { jsx: { runtime: 'automatic', importSource: 'preact' } } },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { headers: isolation },
  preview: { headers: isolation },
});
