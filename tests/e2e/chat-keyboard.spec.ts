// The composer stays above an on-screen keyboard, in real Chromium at iPad
// size (820×1180). Chromium has no on-screen keyboard here; CDP's
// Emulation.setVirtualKeyboardGeometryOverride makes the VirtualKeyboard API
// report one, as Chromium on a tablet does. What this does not reach (iPad
// Safari's visual viewport) is said in docs/chat.md.

import { expect, test } from '../support/fixtures';

test('at 820×1180 the composer moves above a 400 px on-screen keyboard and back when it closes', async ({
  page,
  context,
  servers,
}) => {
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto(servers.app.url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  await page.getByRole('button', { name: 'Chat', exact: true }).click();
  const composer = page.locator('form.composer');
  await page.getByRole('textbox', { name: 'Message' }).focus();

  const bottomOf = async () => {
    const box = await composer.boundingBox();
    if (!box) throw new Error('the composer is not shown');
    return { top: box.y, bottom: box.y + box.height };
  };
  // Without a keyboard the composer sits at the bottom of the screen.
  const before = await bottomOf();
  expect(before.bottom).toBeGreaterThan(1180 - 120);
  expect(before.bottom).toBeLessThanOrEqual(1180);

  const cdp = await context.newCDPSession(page);
  const keyboardTop = 1180 - 400;
  await cdp.send('Emulation.setVirtualKeyboardGeometryOverride', {
    keyboardRect: { x: 0, y: keyboardTop, width: 820, height: 400 },
  });
  await expect(page.locator('html')).toHaveAttribute('data-keyboard', '');
  const above = await bottomOf();
  const visible = await page.evaluate(() => ({
    top: window.visualViewport?.offsetTop ?? 0,
    height: window.visualViewport?.height ?? window.innerHeight,
  }));
  console.log(
    `composer ${JSON.stringify(before)} → ${JSON.stringify(above)} with a keyboard from y=${keyboardTop}; visual viewport ${JSON.stringify(visible)}`,
  );
  // Inside the visual viewport and above the keyboard, still near it (not thrown to the top).
  expect(above.top).toBeGreaterThanOrEqual(visible.top);
  expect(above.bottom).toBeLessThanOrEqual(keyboardTop);
  expect(above.bottom).toBeGreaterThan(keyboardTop - 120);

  // The keyboard closes (the override cleared: a zero rect): the composer goes back down.
  await cdp.send('Emulation.setVirtualKeyboardGeometryOverride', {});
  await expect(page.locator('html')).not.toHaveAttribute('data-keyboard', '');
  expect(await bottomOf()).toEqual(before);
});
