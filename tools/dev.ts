// `npm run dev`: the Vite dev server (hot reload) plus the local model host,
// with /config.json pointing the app at it. The service worker is production
// only; use `npm start` to try offline and installation.

import { createServer } from 'vite';
import { buildDemoModels, MODELS_ROOT } from './demo-model';
import { createModelServer } from './serve/modelServer';

const demo = await buildDemoModels();
if (!demo.ok) console.warn(`warning: ${demo.message}`);
const host = process.env.HOST ?? '127.0.0.1';
const models = await createModelServer({
  root: MODELS_ROOT,
  port: Number(process.env.MODEL_PORT ?? 8081),
  host,
});
const vite = await createServer({
  server: { host, port: Number(process.env.PORT ?? 5173) },
  plugins: [
    {
      name: 'runanywhere:dev-config',
      configureServer(server) {
        server.middlewares.use('/config.json', (_req, res) => {
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ modelHost: `${models.url}/` }));
        });
      },
    },
  ],
});
await vite.listen();
console.log(`Model host: ${models.url}`);
vite.printUrls();
