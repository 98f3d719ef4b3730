// The Safari path in WebKit: OPFS is unavailable in this engine's automation
// session, so the download falls back to IndexedDB storage; the model is then
// read back from there and runs on single-threaded WebAssembly (no
// SharedArrayBuffer here), giving the same greedy story as the reference.

import { By, until } from 'selenium-webdriver';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION } from '../../src/inference/types';
import { greedyContinuation } from '../../tools/llama2c/reference';
import { runInPage, useWebKitApp, webkitUnavailableReason } from './webkitDriver';

const PROMPT = 'Once upon a time, there was a little cat';
const unavailable = webkitUnavailableReason();

describe.skipIf(unavailable !== null)(
  `chat in WebKit${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const env = useWebKitApp();

    it('downloads the demo model without OPFS and continues a story like the reference', async () => {
      const { driver } = env.webkit;
      await driver.get(env.app.url);
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
      const stored = await runInPage<{ opfs: string; chunks: number }>(
        driver,
        `let opfs = 'available';
         try { await navigator.storage.getDirectory(); } catch (e) { opfs = e.name; }
         const db = await new Promise((ok, fail) => {
           const r = indexedDB.open('runanywhere');
           r.onsuccess = () => ok(r.result);
           r.onerror = () => fail(r.error);
         });
         const chunks = await new Promise((ok, fail) => {
           const r = db.transaction('chunks').objectStore('chunks').count();
           r.onsuccess = () => ok(r.result);
           r.onerror = () => fail(r.error);
         });
         db.close();
         return { opfs, chunks };`,
      );
      // The bytes live in IndexedDB because OPFS failed here.
      expect(stored.opfs).not.toBe('available');
      expect(stored.chunks).toBeGreaterThan(0);

      await driver.findElement(By.xpath("//nav//button[normalize-space()='Chat']")).click();
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
  },
);
