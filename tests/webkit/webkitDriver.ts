// Drives WebKitGTK's MiniBrowser (the engine of Safari) through WebDriver:
// starts WebKitWebDriver under a virtual X display and opens a session.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Builder, type WebDriver } from 'selenium-webdriver';
import { afterAll, beforeAll } from 'vitest';
import { MODELS_ROOT } from '../../tools/demo-model';
import { type AppServer, createAppServer } from '../../tools/serve/appServer';
import { createModelServer } from '../../tools/serve/modelServer';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Why WebKit tests cannot run here, or null when they can. */
export function webkitUnavailableReason(): string | null {
  const driver = spawnSync('which', ['WebKitWebDriver']).status === 0;
  const xvfb = spawnSync('which', ['xvfb-run']).status === 0;
  if (driver && xvfb && existsSync(MINIBROWSER)) return null;
  return 'WebKitGTK is not installed: run `sudo apt-get install webkit2gtk-driver xvfb` (Debian/Ubuntu)';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface WebKitSession {
  driver: WebDriver;
  close(): Promise<void>;
}

export async function startWebKit(): Promise<WebKitSession> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'xvfb-run',
    ['-a', '-s', '-screen 0 1280x1024x24', 'WebKitWebDriver', `--port=${port}`],
    { stdio: 'ignore', detached: true },
  );
  const server = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${server}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const driver = await new Builder()
    .usingServer(server)
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: MINIBROWSER,
        args: [
          '--automation',
          '--features=+FileSystem,+AccessHandle,+StorageAPI,+StorageAPIEstimate,+FileSystemWritableStream',
        ],
      },
    })
    .build();
  return {
    driver,
    async close() {
      await driver.quit().catch(() => {});
      // xvfb-run starts Xvfb and the driver in its own process group: end them all.
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {}
      }
    },
  };
}

/** Runs an async function body in the page and returns its result. */
export async function runInPage<T>(driver: WebDriver, body: string): Promise<T> {
  return driver.executeAsyncScript<T>(
    `const done = arguments[arguments.length - 1];
     (async () => { ${body} })().then(done, (e) => done({ error: String(e) }));`,
  );
}

export interface WebKitApp {
  webkit: WebKitSession;
  app: AppServer;
  models: Awaited<ReturnType<typeof createModelServer>>;
}

/**
 * For a describe block: before its tests, the built app (dist/) and the demo
 * model host on free ports plus a WebKit session; after them, all closed.
 * The returned object is filled in by the time the tests run.
 */
export function useWebKitApp(): WebKitApp {
  const env = {} as WebKitApp;
  beforeAll(async () => {
    env.models = await createModelServer({ root: MODELS_ROOT });
    env.app = await createAppServer({
      root: resolve(import.meta.dirname, '../../dist'),
      config: { modelHost: `${env.models.url}/` },
    });
    env.webkit = await startWebKit();
  });
  afterAll(async () => {
    await env.webkit?.close();
    await env.app?.close();
    await env.models?.close();
  });
  return env;
}

/**
 * Waits until the page's service worker is active (and, with `controlled`,
 * controls the page), polling: the install precaches the app shell, which on
 * a loaded machine outlasts WebDriver's 30 s script timeout.
 */
export async function waitForServiceWorker(
  driver: WebDriver,
  { controlled = false, timeoutMs = 120_000 } = {},
): Promise<void> {
  await driver.wait(
    () =>
      runInPage<boolean>(
        driver,
        `const registration = await navigator.serviceWorker.getRegistration();
         return !!registration?.active && (${controlled} ? !!navigator.serviceWorker.controller : true);`,
      ),
    timeoutMs,
  );
}
