// The app in WebKit (the engine of Safari): it loads cross-origin isolated,
// its service worker installs, and the app shell opens with the servers gone.

import { describe, expect, it } from 'vitest';
import { runInPage, useWebKitApp, webkitUnavailableReason } from './webkitDriver';

const unavailable = webkitUnavailableReason();

describe.skipIf(unavailable !== null)(
  `app in WebKit${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const env = useWebKitApp();

    it('loads cross-origin isolated, lists the demo model, and installs its service worker', async () => {
      await env.webkit.driver.get(env.app.url);
      const state = await runInPage<{ isolated: boolean; active: boolean; text: string }>(
        env.webkit.driver,
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
      const requestsBefore = env.app.requests.length;
      await env.app.close();
      await env.models.close();
      await env.webkit.driver.navigate().refresh();
      const text = await runInPage<string>(
        env.webkit.driver,
        `for (let i = 0; i < 100 && !document.body.innerText.includes('TinyStories'); i++) {
         await new Promise((r) => setTimeout(r, 100));
       }
       return document.body.innerText;`,
      );
      expect(text).toContain('RunAnywhere');
      // The catalog from the last visit is still listed, marked as offline.
      expect(text).toContain('TinyStories 260K');
      expect(text).toMatch(/offline/i);
      expect(env.app.requests.length).toBe(requestsBefore);
    });
  },
);
