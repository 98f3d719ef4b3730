// Opens a harness page (tests/browser/pages/NAME.html) and calls the methods
// it puts on `window.harness` with plain-data arguments, typed by the page's
// own harness object (through each page's typed wrapper).

import type { Page } from '@playwright/test';

export async function openHarnessPage(page: Page, harnessUrl: string, name: string): Promise<void> {
  await page.goto(`${harnessUrl}${name}.html`);
  await page.waitForFunction(() => 'harness' in window);
}

type Fn = (...args: never[]) => unknown;
/** The names of a harness's methods (each page's typed `call` wrapper uses it). */
export type HarnessMethod<H> = { [K in keyof H]: H[K] extends Fn ? K : never }[keyof H];

/** Calls one method of the page's harness; the page's typed wrapper gives it its types. */
export function callHarness(page: Page, name: string, args: unknown[]): Promise<unknown> {
  return page.evaluate(
    ({ name, args }) => {
      const h = (window as unknown as { harness: Record<string, (...a: unknown[]) => unknown> })
        .harness;
      return h[name]?.(...args);
    },
    { name, args },
  );
}
