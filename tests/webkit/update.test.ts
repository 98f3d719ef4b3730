// The service worker's update flow in WebKit, as a person meets it: the app
// is deployed again with a new version, the next visit still shows the old
// one with "A new version … is ready" and Reload; Reload brings the new one.

import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { By, until } from 'selenium-webdriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, createAppServer } from '../../tools/serve/appServer';
import {
  startWebKit,
  type WebKitSession,
  waitForServiceWorker,
  webkitUnavailableReason,
} from './webkitDriver';

const DIST = resolve(import.meta.dirname, '../../dist');
const NEXT_TITLE = 'RunAnywhere (next)';
const unavailable = webkitUnavailableReason();

/**
 * A second deployment of the built app: a copy of dist/ whose index.html has
 * another title, and whose service worker's precache list carries that
 * file's new revision, as a rebuild after the change would produce.
 */
async function nextVersion(dir: string): Promise<void> {
  await cp(DIST, dir, { recursive: true });
  const index = join(dir, 'index.html');
  const html = (await readFile(index, 'utf8')).replace(
    /<title>[^<]*<\/title>/,
    `<title>${NEXT_TITLE}</title>`,
  );
  await writeFile(index, html);
  const sw = join(dir, 'sw.js');
  const script = await readFile(sw, 'utf8');
  const entry = /"revision":"([0-9a-f]{32})","url":"index\.html"/.exec(script);
  expect(entry).not.toBeNull();
  const revision = createHash('md5').update(html).digest('hex');
  await writeFile(sw, script.replace(entry?.[1] as string, revision));
}

describe.skipIf(unavailable !== null)(
  `service worker update in WebKit${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let webkit: WebKitSession;
    let app: AppServer;
    let next: string;

    beforeAll(async () => {
      next = await mkdtemp(join(tmpdir(), 'runanywhere-next-'));
      await nextVersion(next);
      // No model host: the update flow does not need one.
      app = await createAppServer({ root: DIST, config: { modelHost: 'http://127.0.0.1:9/' } });
      webkit = await startWebKit();
    });
    afterAll(async () => {
      await webkit?.close();
      await app?.close();
      if (next) await rm(next, { recursive: true, force: true });
    });

    it('offers "A new version is ready" after a redeploy, and Reload switches to the new version', async () => {
      const { driver } = webkit;
      await driver.get(app.url);
      // The first version installs, takes over the page and precaches the app.
      await waitForServiceWorker(driver, { controlled: true });
      const first = { title: await driver.getTitle(), controlled: true };
      expect(first).toEqual({ title: 'RunAnywhere', controlled: true });
      expect(await driver.findElements(By.css('.banner'))).toHaveLength(0);

      // Redeploy: the same address now serves the next version.
      const port = Number(new URL(app.url).port);
      await app.close();
      app = await createAppServer({
        root: next,
        port,
        config: { modelHost: 'http://127.0.0.1:9/' },
      });
      await driver.navigate().refresh();
      const banner = await driver.wait(
        until.elementLocated(By.xpath("//*[@role='status'][contains(., 'new version')]")),
        90_000,
      );
      expect(await banner.getText()).toMatch(/A new version of RunAnywhere is ready/);
      // Until the person chooses, the page stays on the version it opened with.
      expect(await driver.getTitle()).toBe('RunAnywhere');

      await banner.findElement(By.xpath(".//button[normalize-space()='Reload']")).click();
      await driver.wait(async () => (await driver.getTitle()) === NEXT_TITLE, 30_000);
      await driver.wait(until.elementLocated(By.css('nav')), 30_000);
      expect(await driver.findElements(By.css('.banner'))).toHaveLength(0);
      expect(app.requests).toContain('GET /sw.js');
    });
  },
);
