// `npm run dev`: the Vite dev server (hot reload) plus the local model host,
// with /config.json pointing the app at it. The service worker is production
// only; use `npm start` to try offline and installation.

import { createServer } from 'vite';
import { DEFAULT_HUB_ENDPOINT } from '../src/core/appConfig';
import { startDemoModelHost } from './demo-model';

const { server: models, modelHost } = await startDemoModelHost();
const vite = await createServer({
  server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5173) },
  plugins: [
    {
      name: 'runanywhere:dev-config',
      configureServer(server) {
        server.middlewares.use('/config.json', (_req, res) => {
          res.setHeader('Content-Type', 'application/json');
          res.end(
            JSON.stringify({
              hubEndpoint: process.env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT,
              modelHost,
            }),
          );
        });
      },
    },
  ],
});
await vite.listen();
console.log(`Model host: ${models.url}`);
vite.printUrls();
