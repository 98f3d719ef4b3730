// The harness itself: test pages load from their own server, cross-origin isolated.
import { expect, test } from '../support/fixtures';

test('harness pages load their modules and are cross-origin isolated', async ({
  page,
  servers,
}) => {
  await page.goto(`${servers.harness.url}smoke.html`);
  const result = await page.evaluate(() => ({
    formatted: (
      window as unknown as { harness: { formatBytes(n: number): string } }
    ).harness.formatBytes(1_400_000),
    isolated: crossOriginIsolated,
  }));
  expect(result).toEqual({ formatted: '1.4 MB', isolated: true });
});
