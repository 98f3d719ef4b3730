// Finds a Chromium to test with: CHROMIUM_PATH, then Debian's binary, then
// Playwright's own download. Fails with the install command when none exists.

import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const DEBIAN_CHROMIUM = '/usr/lib/chromium/chromium';

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const bundled = safeExecutablePath();
  if (bundled && existsSync(bundled)) return undefined; // let Playwright use its own
  throw new Error(
    'No Chromium found for the browser tests. Install one with `sudo apt-get install chromium` ' +
      '(Debian/Ubuntu) or `npx playwright install chromium`, or set CHROMIUM_PATH.',
  );
}

function safeExecutablePath(): string | null {
  try {
    return chromium.executablePath();
  } catch {
    return null;
  }
}

/** Flags that keep a test browser off the network and quiet (see ENVIRONMENT.md). */
export const CHROMIUM_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--disable-quic',
  '--disable-domain-reliability',
  '--no-pings',
];
