// Every screen at the sizes people use (iPhone 390×844, iPad portrait
// 820×1180 and landscape 1180×820, desktop 1440×900): no horizontal scroll,
// a screenshot of each saved under test-results/, and axe-core finding no
// serious or critical violations in light and dark themes.

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';

const SIZES = [
  { name: 'iphone', width: 390, height: 844 },
  { name: 'ipad-portrait', width: 820, height: 1180 },
  { name: 'ipad-landscape', width: 1180, height: 820 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

const SCREENS = ['Models', 'Chat', 'Diagnostics', 'Settings'] as const;

async function installDemo(page: Page, url: string) {
  await page.goto(url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
}

async function open(page: Page, name: (typeof SCREENS)[number]) {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('button', { name, exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  if (name === 'Diagnostics') await expect(page.getByTestId('probe-report')).toBeVisible();
  if (name === 'Models')
    await expect(page.getByTestId('verdict').first()).toHaveAttribute('data-state', 'known');
}

for (const size of SIZES) {
  test(`every screen fits ${size.name} (${size.width}×${size.height}) without horizontal scroll`, async ({
    page,
    servers,
  }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await installDemo(page, servers.app.url);
    for (const name of SCREENS) {
      await open(page, name);
      const overflow = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      await page.screenshot({
        path: test.info().outputPath(`${size.name}-${name.toLowerCase()}.png`),
        fullPage: true,
      });
      expect(overflow.scrollWidth, `${name} scrolls sideways`).toBeLessThanOrEqual(
        overflow.clientWidth,
      );
    }
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe-core finds no serious or critical violations on any screen (${colorScheme})`, async ({
    page,
    servers,
  }) => {
    // axe walks every node of four screens: minutes on a loaded 2-core machine.
    test.setTimeout(300_000);
    await page.emulateMedia({ colorScheme });
    await installDemo(page, servers.app.url);
    const found: string[] = [];
    const check = async (where: string) => {
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations)
        if (v.impact === 'serious' || v.impact === 'critical')
          found.push(
            `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          );
    };
    for (const name of SCREENS) {
      await open(page, name);
      await check(name);
    }
    // The confirmations are screens of their own for a screen reader.
    await page.getByRole('button', { name: 'Clear all data…' }).click();
    await check('Settings, clear all data');
    await open(page, 'Models');
    await page.getByTestId('model-stories260k').getByRole('button', { name: 'Delete' }).click();
    await check('Models, delete');
    expect(found).toEqual([]);
  });
}
