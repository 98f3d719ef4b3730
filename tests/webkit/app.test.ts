// The app in WebKit (the engine of Safari): it loads cross-origin isolated,
// its service worker installs, and the app shell opens with the servers gone.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS_ROOT } from '../../tools/demo-model';
import { type AppServer, createAppServer } from '../../tools/serve/appServer';
import { createModelServer } from '../../tools/serve/modelServer';
import {
  runInPage,
  startWebKit,
  type WebKitSession,
  webkitUnavailableReason,
} from './webkitDriver';

const DIST = resolve(import.meta.dirname, '../../dist');
const unavailable = webkitUnavailableReason();

describe.skipIf(unavailable !== null)(
  `app in WebKit${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let webkit: WebKitSession;
    let app: AppServer;
    let models: Awaited<ReturnType<typeof createModelServer>>;

    beforeAll(async () => {
      models = await createModelServer({ root: MODELS_ROOT });
      app = await createAppServer({ root: DIST, config: { modelHost: `${models.url}/` } });
      webkit = await startWebKit();
    });
    afterAll(async () => {
      await webkit?.close();
      await app?.close();
      await models?.close();
    });

    it('loads cross-origin isolated, lists the demo model, and installs its service worker', async () => {
      await webkit.driver.get(app.url);
      const state = await runInPage<{ isolated: boolean; active: boolean; text: string }>(
        webkit.driver,
        `const registration = await navigator.serviceWorker.ready;
       for (let i = 0; i < 100 && !document.body.innerText.includes('TinyStories'); i++) {
         await new Promise((r) => setTimeout(r, 100));
       }
       return { isolated: crossOriginIsolated, active: !!registration.active, text: document.body.innerText };`,
      );
      expect(state.isolated).toBe(true);
      expect(state.active).toBe(true);
      expect(state.text).toContain('TinyStories 260K');
    });

    it('opens from the service worker cache when the servers are gone', async () => {
      const requestsBefore = app.requests.length;
      await app.close();
      await models.close();
      await webkit.driver.navigate().refresh();
      const text = await runInPage<string>(
        webkit.driver,
        `for (let i = 0; i < 100 && !document.body.innerText.includes('TinyStories'); i++) {
         await new Promise((r) => setTimeout(r, 100));
       }
       return document.body.innerText;`,
      );
      expect(text).toContain('RunAnywhere');
      // The catalog from the last visit is still listed, marked as offline.
      expect(text).toContain('TinyStories 260K');
      expect(text).toMatch(/offline/i);
      expect(app.requests.length).toBe(requestsBefore);
    });
  },
);
