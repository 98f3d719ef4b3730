// Main-thread smoothness while a reply streams: a PerformanceObserver counts
// long tasks (over 50 ms) between Send and the finished reply, and a Chromium
// trace gives each task's CPU time. Both are reported in the test output; no
// task may do 50 ms of work (docs/chat.md says why CPU time is what is asserted).

import { loadavg } from 'node:os';
import { expect, test } from '../support/fixtures';
import { measureMainThread } from '../support/mainThreadTasks';

const loadAverage = () => loadavg()[0]?.toFixed(1);

test('no main-thread task does 50 ms of work while a reply streams (long tasks reported)', async ({
  page,
  context,
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

  const measured = await measureMainThread(context, page, () => send('There was a little dog'));
  const stats = await page.locator('.message-stats').last().textContent();
  const report = `while streaming (${stats}): ${measured.summary}`;
  console.log(report);
  test.info().annotations.push({ type: 'longtasks', description: report });
  // No task of the page's own may pass 50 ms. The observer's long tasks are
  // wall time, which other processes on a shared machine stretch; the trace's
  // CPU time per task is the page's own work, whatever the machine's load.
  expect(measured.maxTaskCpuMs).toBeLessThan(50);
  if (measured.longTasks.length > 0) {
    console.log(
      `long tasks seen, each under 50 ms of main-thread CPU (the machine was busy: load ${loadAverage()})`,
    );
  }
});
