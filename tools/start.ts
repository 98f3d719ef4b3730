// `npm start`: serves the built app and the local model host side by side and
// prints the URL to open. Ports: PORT (app, default 8080), MODEL_PORT (8081).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDemoModels, MODELS_ROOT } from './demo-model';
import { createAppServer } from './serve/appServer';
import { createModelServer } from './serve/modelServer';

const dist = resolve(import.meta.dirname, '..', 'dist');
if (!existsSync(resolve(dist, 'index.html'))) {
  console.error(
    'The app is not built yet: run `npm run build` (or `npm start`, which builds first).',
  );
  process.exit(1);
}
const demo = await buildDemoModels();
if (!demo.ok) console.warn(`warning: ${demo.message}`);

const host = process.env.HOST ?? '127.0.0.1';
const models = await createModelServer({
  root: MODELS_ROOT,
  port: Number(process.env.MODEL_PORT ?? 8081),
  host,
});
const app = await createAppServer({
  root: dist,
  port: Number(process.env.PORT ?? 8080),
  host,
  config: { modelHost: models.url.endsWith('/') ? models.url : `${models.url}/` },
});
console.log(`Model host: ${models.url}`);
console.log(`RunAnywhere is running at ${app.url}  (Ctrl+C to stop)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.all([app.close(), models.close()]).then(() => process.exit(0));
  });
}
