// Adding a model from the Hub in the real app, against the test Hub (tools/hub):
// the deep link shows the listing's variants, bytes and this device's verdict
// before anything is downloaded; Download installs it; a moved branch then shows
// as an update; a gated repo asks for an access token, which unlocks it.

import { resolve } from 'node:path';
import { type HubFileEntry, hubVariants } from '../../src/core/hubListing';
import { type HubRepoOptions, repoFromFolder } from '../../tools/hub/hubRepos';
import { createHubServer, type HubServer } from '../../tools/hub/hubServer';
import { type AppServer, createAppServer } from '../../tools/serve/appServer';
import { DIST, expect, test } from '../support/fixtures';

const TINY = resolve(
  import.meta.dirname,
  '../../../shared/models/transformers/tiny-random-llama-fp16',
);
const REPO = 'test/tiny-random-llama';
const TOKEN = `hf_${'a1'.repeat(15)}`;

async function serve(
  extra: Partial<HubRepoOptions> = {},
): Promise<{ hub: HubServer; app: AppServer }> {
  const hub = await createHubServer({
    repos: [await repoFromFolder({ repo: REPO, dir: TINY, task: 'text-generation', ...extra })],
  });
  // The production config's shape: the Hub only, no model host.
  const app = await createAppServer({ root: DIST, config: { hubEndpoint: hub.url } });
  return { hub, app };
}

function expectedVariants(hub: HubServer) {
  const repo = hub.repo(REPO);
  const commit = repo.branches.get('main') as string;
  return hubVariants(repo.tree(commit) as HubFileEntry[]);
}

test('the deep link shows variants, bytes and verdict first; Download installs; a moved branch is an update', async ({
  page,
}) => {
  const { hub, app } = await serve();
  try {
    await page.goto(`${app.url.replace(/\/$/, '')}/#/models/add?repo=${REPO}&revision=main`);
    const panel = page.getByTestId('hub-add');
    const report = panel.getByTestId('hub-report');
    await expect(report).toBeVisible();
    // Only the API was asked: no file has been resolved or fetched yet.
    expect(hub.stats.resolves).toEqual([]);
    expect(hub.stats.storage).toEqual([]);

    const variants = expectedVariants(hub);
    expect(variants.length).toBeGreaterThan(0);
    for (const variant of variants) {
      const row = report.getByTestId(`variant-${variant.dtype}`);
      await expect(row.getByTestId('variant-bytes')).toHaveAttribute(
        'data-bytes',
        String(variant.bytes),
      );
      await expect(row.getByTestId('variant-verdict')).toContainText(/Runs here|Can’t run here/);
    }
    await expect(report.getByTestId('variant-verdict').first()).toContainText('Runs here');

    await report.getByTestId('hub-download').click();
    await expect(report.getByTestId('hub-installed')).toBeVisible({ timeout: 60_000 });
    expect(hub.stats.resolves.length).toBeGreaterThan(0);

    // The branch moves on the Hub: the installed commit is now an update, not silently replaced.
    hub.repo(REPO).commit({ 'generation_config.json': new TextEncoder().encode('{}') });
    await page.reload();
    await expect(page.getByTestId('hub-report')).toBeVisible();
    await expect(page.getByTestId('hub-update')).toContainText('Update available');
    await expect(page.getByTestId('hub-download')).toContainText('Update');
  } finally {
    await app.close();
    await hub.close();
  }
});

test('a gated repo says how to get access, and a saved token unlocks it', async ({ page }) => {
  const { hub, app } = await serve({ token: TOKEN });
  try {
    await page.goto(`${app.url.replace(/\/$/, '')}/#/models/add?repo=${REPO}`);
    const error = page.getByTestId('hub-error');
    await expect(error).toHaveAttribute('data-code', 'auth-required');
    await expect(error).toContainText('access token');
    const token = page.getByTestId('hub-token');
    await expect(token).toHaveAttribute('open', '');
    await token.locator('input[name="token"]').fill(TOKEN);
    await token.getByRole('button', { name: 'Save token' }).click();
    await expect(token).toContainText('Saved on this device only');

    // The form holds the deep link's repo: looking it up again now sends the token.
    await expect(page.locator('input[name="repo"]')).toHaveValue(REPO);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page.getByTestId('hub-report')).toBeVisible();
    await expect(page.getByTestId('hub-error')).toHaveCount(0);
    expect(hub.stats.api.some((call) => call.token)).toBe(true);
    expect(hub.stats.tokensAtStorage).toBe(0);
  } finally {
    await app.close();
    await hub.close();
  }
});
