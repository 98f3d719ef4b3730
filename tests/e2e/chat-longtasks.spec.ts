// Main-thread smoothness while a reply streams: a PerformanceObserver counts
// long tasks (over 50 ms) between Send and the finished reply. The numbers
// are reported in the test output; see docs/architecture.md for why the
// assertion bounds them as it does on the shared test machine.

import { expect, test } from '../support/fixtures';

test('long tasks on the main thread while a reply streams are measured and reported', async ({
  page,
  servers,
}) => {
  // A model load took 35 s on a loaded 2-core machine.
  test.setTimeout(300_000);
  await page.goto(servers.app.url);
  const card = page.getByTestId('model-stories260k');
  await card.getByRole('button', { name: 'Download' }).click();
  await expect(card.getByTestId('installed')).toBeVisible();
  await page.getByRole('button', { name: 'Chat', exact: true }).click();

  // A first reply loads the model; the measured one streams from a warm model.
  const send = async (text: string) => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.message[data-role="assistant"]').last();
    await expect(reply).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  };
  await send('Once upon a time');

  await page.evaluate(() => {
    const tasks: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask' });
  });
  await send('There was a little dog');
  const stats = await page.locator('.message-stats').last().textContent();
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const report = `long tasks while streaming (${stats}): ${tasks.length} [${tasks.join(', ')}] ms`;
  console.log(report);
  test.info().annotations.push({ type: 'longtasks', description: report });
  // Reported, not asserted under 50 ms: on this shared machine a task can be
  // stretched by other processes. The bound catches a real regression (a
  // main thread that decodes or renders the whole reply per token).
  expect(Math.max(0, ...tasks)).toBeLessThan(250);
});
