// The Safari path in WebKit: OPFS fails in this engine's automation session
// (its ephemeral profile answers `UnknownError`), so the app stores the
// download in IndexedDB; then, with the app and model servers gone, the
// service worker serves the app, the model is read back from IndexedDB and
// runs on single-threaded WebAssembly (no SharedArrayBuffer here), giving the
// same greedy story as the reference. The tests run in order on one session.

import { resolve } from 'node:path';
import { By, until, type WebDriver } from 'selenium-webdriver';
import { describe, expect, it } from 'vitest';
import { sortBuiltFiles } from '../../src/core/swAssets';
import { RUNTIME_CACHE } from '../../src/core/swMessages';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { listBuiltFiles } from '../../tools/build/serviceWorkerPlugin';
import { greedyContinuation } from '../../tools/llama2c/reference';
import {
  runInPage,
  useWebKitApp,
  waitForServiceWorker,
  webkitUnavailableReason,
} from './webkitDriver';

const DIST = resolve(import.meta.dirname, '../../dist');
const PROMPT = 'Once upon a time, there was a little cat';
const unavailable = webkitUnavailableReason();

/** Clicks a screen's tab in the header. */
async function openScreen(driver: WebDriver, name: string) {
  await driver.findElement(By.xpath(`//nav//button[normalize-space()='${name}']`)).click();
}

/** The value cell of a Diagnostics row, once the probe has filled it. */
async function diagnosticsRow(driver: WebDriver, label: string): Promise<string> {
  const cell = await driver.wait(
    until.elementLocated(
      By.xpath(`//*[@data-testid='probe-report']//tr[th[normalize-space()='${label}']]/td`),
    ),
    60_000,
  );
  return cell.getText();
}

describe.skipIf(unavailable !== null)(
  `chat in WebKit${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const env = useWebKitApp();

    it('downloads the demo model into IndexedDB, the storage the app chose because OPFS fails here', async () => {
      const { driver } = env.webkit;
      await driver.get(env.app.url);
      // Wait for an active service worker: the offline test below needs it.
      await waitForServiceWorker(driver);
      const card = await driver.wait(
        until.elementLocated(By.css('[data-testid="model-stories260k"]')),
        30_000,
      );
      // Click once the card has settled (the verdict is in), as a person would.
      await driver.wait(
        until.elementLocated(By.css('[data-testid="verdict"][data-state="known"]')),
        30_000,
      );
      await card.findElement(By.xpath(".//button[normalize-space()='Download']")).click();
      await driver.wait(
        until.elementLocated(By.css('[data-testid="model-stories260k"] [data-testid="installed"]')),
        60_000,
      );

      // What the app's own probe found, on its Diagnostics screen.
      await openScreen(driver, 'Diagnostics');
      expect(await diagnosticsRow(driver, 'OPFS (page)')).toBe('no');
      expect(await diagnosticsRow(driver, 'OPFS (worker)')).toBe('no');
      // The storage backend the download service chose, as it recorded the
      // install, and the bytes it put there.
      const stored = await runInPage<{ backend: string | null; chunks: number }>(
        driver,
        `const db = await new Promise((ok, fail) => {
           const r = indexedDB.open('runanywhere');
           r.onsuccess = () => ok(r.result);
           r.onerror = () => fail(r.error);
         });
         const get = (store, op) => new Promise((ok, fail) => {
           const r = op(db.transaction(store).objectStore(store));
           r.onsuccess = () => ok(r.result);
           r.onerror = () => fail(r.error);
         });
         const install = await get('installs', (s) => s.get('stories260k@1.0.0'));
         const chunks = await get('chunks', (s) => s.count());
         db.close();
         return { backend: install ? install.backend : null, chunks };`,
      );
      expect(stored.backend).toBe('idb');
      expect(stored.chunks).toBeGreaterThan(0);

      // The model's runtime is cached once it is installed, though it never ran.
      const { runtimes } = sortBuiltFiles(await listBuiltFiles(DIST));
      const missing = () =>
        runInPage<string[]>(
          driver,
          `const cache = await caches.open(${JSON.stringify(RUNTIME_CACHE)});
           const files = ${JSON.stringify(runtimes.transformers)};
           const hits = await Promise.all(files.map((f) => cache.match(new URL(f, location.href).href)));
           return files.filter((_, i) => !hits[i]);`,
        );
      await driver.wait(async () => (await missing()).length === 0, 60_000);
      expect(await missing()).toEqual([]);
    });

    it('after an offline reload, the service worker serves the app and the stored model continues a story like the reference', async () => {
      const { driver } = env.webkit;
      // Offline: nothing answers at the app's or the model host's address.
      await env.app.close();
      await env.models.close();
      await driver.navigate().refresh();
      await driver.wait(
        until.elementLocated(By.xpath("//nav//button[normalize-space()='Models']")),
        30_000,
      );
      await openScreen(driver, 'Models');
      await driver.wait(
        until.elementLocated(By.css('[data-testid="model-stories260k"] [data-testid="installed"]')),
        30_000,
      );
      await openScreen(driver, 'Chat');
      const box = await driver.wait(until.elementLocated(By.css('textarea')), 10_000);
      await box.sendKeys(PROMPT);
      await driver.findElement(By.xpath("//button[normalize-space()='Send']")).click();
      const done = await driver.wait(
        until.elementLocated(By.css('.message[data-role="assistant"][data-state="done"]')),
        90_000,
      );
      const text = await runInPage<string>(
        driver,
        `return document.querySelector('.message[data-role="assistant"] .message-text').textContent;`,
      );
      expect(await done.isDisplayed()).toBe(true);
      const expected = greedyContinuation(PROMPT, DEFAULT_GENERATION.maxNewTokens).text;
      expect(expected.length).toBeGreaterThan(20);
      expect(text).toBe(expected);
    });

    it('after another reload, the conversation is still there, exactly as it was', async () => {
      const { driver } = env.webkit;
      await driver.navigate().refresh();
      await driver.wait(
        until.elementLocated(By.xpath("//nav//button[normalize-space()='Chat']")),
        30_000,
      );
      await openScreen(driver, 'Chat');
      await driver.wait(
        until.elementLocated(By.css('.message[data-role="assistant"][data-state="done"]')),
        30_000,
      );
      const shown = await runInPage<{
        user: string | null;
        reply: string | null;
        titles: string[];
      }>(
        driver,
        `return {
          user: document.querySelector('.message[data-role="user"] .message-text').textContent,
          reply: document.querySelector('.message[data-role="assistant"] .message-text').textContent,
          titles: [...document.querySelectorAll('[data-testid="conversation"] .conversation-title')].map((e) => e.textContent),
        };`,
      );
      expect(shown).toEqual({
        user: PROMPT,
        reply: greedyContinuation(PROMPT, DEFAULT_GENERATION.maxNewTokens).text,
        titles: [PROMPT],
      });
    });
  },
);
