// `npm start`: serves the built app and the local model host side by side and
// prints the URL to open. Ports: PORT (app, default 8080), MODEL_PORT (8081).
// The config it serves adds the demo host to the Hub endpoint the build names
// (HF_ENDPOINT, default https://huggingface.co, for a mirror or a test Hub).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_HUB_ENDPOINT } from '../src/core/appConfig';
import { startDemoModelHost } from './demo-model';
import { createAppServer } from './serve/appServer';

const dist = resolve(import.meta.dirname, '..', 'dist');
if (!existsSync(resolve(dist, 'index.html'))) {
  console.error(
    'The app is not built yet: run `npm run build` (or `npm start`, which builds first).',
  );
  process.exit(1);
}
const { server: models, modelHost } = await startDemoModelHost();
const app = await createAppServer({
  root: dist,
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
  config: { hubEndpoint: process.env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT, modelHost },
});
console.log(`Model host: ${models.url}`);
console.log(`Hub endpoint: ${process.env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT}`);
console.log(`RunAnywhere is running at ${app.url}  (Ctrl+C to stop)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.all([app.close(), models.close()]).then(() => process.exit(0));
  });
}
