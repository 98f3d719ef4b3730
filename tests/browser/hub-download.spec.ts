// Hub downloads in real Chromium against the test Hub (tools/hub): the engine
// installs a model from a Hub source through `resolve` redirects to a storage
// host that refuses CORS preflights, with plain Range requests; an expired
// signed URL is resolved again; a bad hash, a gated repo and an unknown repo
// end in their typed errors with nothing installed; a moved branch resolves
// to a new commit.

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { hubModelId, hubModelVersion } from '../../src/core/hubListing';
import { hubSourceUrl } from '../../src/hub/hubSourceUrl';
import { type HubRepoOptions, readFolder, repoFromFolder } from '../../tools/hub/hubRepos';
import { createHubServer, type HubServer } from '../../tools/hub/hubServer';
import { expect, test } from '../support/fixtures';
import { call, FAST_OPTIONS, openHarness } from './download-fixture';

const TINY = resolve(
  import.meta.dirname,
  '../../../shared/models/transformers/tiny-random-llama-fp16',
);
const REPO = 'test/tiny-random-llama';
const ID = hubModelId(REPO, 'fp16');
// Small chunks: the 2 MB external-data file takes several Range requests.
const OPTIONS = { ...FAST_OPTIONS, chunkSize: 256 * 1024, stallTimeoutMs: 5000 };

async function serveHub(extra: Partial<HubRepoOptions> = {}): Promise<HubServer> {
  return createHubServer({ repos: [await repoFromFolder({ repo: REPO, dir: TINY, ...extra })] });
}

function sourceOf(hub: HubServer, repo = REPO): string {
  const commit = hub.repo(repo).branches.get('main') as string;
  return hubSourceUrl({ endpoint: hub.url, repo, commit, dtype: 'fp16', revision: 'main' });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('a Hub model downloads through resolve redirects with plain Range, verified and pinned', async ({
  page,
  servers,
}) => {
  const hub = await serveHub();
  try {
    await openHarness(page, servers.harness.url);
    const url = sourceOf(hub);
    const commit = hub.repo(REPO).branches.get('main') as string;
    const result = await call(page, 'run', url, OPTIONS);
    expect(result).toMatchObject({ ok: true });
    const version = hubModelVersion(commit);
    expect(await call(page, 'installedRecord', ID, version)).toMatchObject({
      manifestUrl: url,
      hub: { endpoint: hub.url, repo: REPO, revision: 'main', commit, dtype: 'fp16' },
    });
    const files = await readFolder(TINY);
    const stored = await call(page, 'storedHashes', ID, version, Object.keys(files));
    for (const [path, bytes] of Object.entries(files))
      expect(stored[path], path).toBe(sha256(bytes));
    // Every byte came from the storage host, by Range, never If-Range, never with a token.
    expect(hub.stats.storage.length).toBeGreaterThan(Object.keys(files).length);
    for (const s of hub.stats.storage) {
      expect(s.range).toMatch(/^bytes=\d+-\d+$/);
      expect(s.ifRange).toBeNull();
      expect(s.expired).toBe(false);
    }
    expect(hub.stats.tokensAtStorage).toBe(0);
    expect(hub.stats.refusedPreflights).toBe(0);
  } finally {
    await hub.close();
  }
});

test('signed URLs that expire mid-download are resolved again and the download completes', async ({
  page,
  servers,
}) => {
  const hub = await serveHub();
  try {
    await openHarness(page, servers.harness.url);
    // The 4th to 6th resolves hand out URLs that have already expired.
    hub.expireResolves(3, 3);
    const url = sourceOf(hub);
    expect(await call(page, 'run', url, OPTIONS)).toMatchObject({ ok: true });
    const expired = hub.stats.storage.filter((s) => s.expired);
    expect(expired).toHaveLength(3);
    const files = await readFolder(TINY);
    const version = hubModelVersion(hub.repo(REPO).branches.get('main') as string);
    const stored = await call(page, 'storedHashes', ID, version, Object.keys(files));
    for (const [path, bytes] of Object.entries(files))
      expect(stored[path], path).toBe(sha256(bytes));
  } finally {
    await hub.close();
  }
});

for (const [what, path, algorithm] of [
  ['an LFS file whose bytes do not match its SHA-256', 'onnx/model_fp16.onnx_data', 'sha256'],
  ['a small file whose bytes do not match its git blob id', 'config.json', 'git-blob-sha1'],
] as const) {
  test(`${what} ends in validation-failed and nothing looks installed`, async ({
    page,
    servers,
  }) => {
    const hub = await serveHub({ corrupt: [path] });
    try {
      await openHarness(page, servers.harness.url);
      const url = sourceOf(hub);
      expect(await call(page, 'run', url, OPTIONS)).toMatchObject({
        ok: false,
        code: 'validation-failed',
        details: { path, algorithm },
      });
      expect(await call(page, 'installedCount')).toBe(0);
    } finally {
      await hub.close();
    }
  });
}

test('a gated repo without a token is auth-required, with nothing stored', async ({
  page,
  servers,
}) => {
  const hub = await serveHub({ token: 'hf_secret' });
  try {
    await openHarness(page, servers.harness.url);
    const result = await call(page, 'run', sourceOf(hub), OPTIONS);
    expect(result).toMatchObject({ ok: false, code: 'auth-required', details: { status: 401 } });
    expect(await call(page, 'installedCount')).toBe(0);
    expect(hub.stats.storage).toHaveLength(0);
  } finally {
    await hub.close();
  }
});

test('a gated repo installs with the token saved on this device, which never reaches the storage host', async ({
  page,
  servers,
}) => {
  const hub = await serveHub({ token: 'hf_secret' });
  try {
    await openHarness(page, servers.harness.url);
    await call(page, 'saveHubToken', 'hf_secret');
    expect(await call(page, 'run', sourceOf(hub), OPTIONS)).toMatchObject({ ok: true });
    expect(await call(page, 'installedCount')).toBe(1);
    // The Hub's API and resolve answers needed it; the storage host never saw it.
    expect(hub.stats.api.length).toBeGreaterThan(0);
    expect(hub.stats.api.every((a) => a.token)).toBe(true);
    expect(hub.stats.storage.length).toBeGreaterThan(0);
    expect(hub.stats.tokensAtStorage).toBe(0);
  } finally {
    await hub.close();
  }
});

test('an unknown repo is not-found', async ({ page, servers }) => {
  const hub = await serveHub();
  try {
    await openHarness(page, servers.harness.url);
    const commit = hub.repo(REPO).branches.get('main') as string;
    const url = hubSourceUrl({ endpoint: hub.url, repo: 'nobody/nothing', commit, dtype: 'fp16' });
    expect(await call(page, 'run', url, OPTIONS)).toMatchObject({ ok: false, code: 'not-found' });
    const inspected = await call(page, 'inspectHub', { endpoint: hub.url, repo: 'nobody/nothing' });
    expect(inspected).toEqual({ ok: false, code: 'not-found' });
  } finally {
    await hub.close();
  }
});

test('a moved branch resolves to a new commit when inspected again', async ({ page, servers }) => {
  const hub = await serveHub();
  try {
    await openHarness(page, servers.harness.url);
    const before = await call(page, 'inspectHub', {
      endpoint: hub.url,
      repo: REPO,
      revision: 'main',
    });
    const moved = hub
      .repo(REPO)
      .commit({ 'generation_config.json': new TextEncoder().encode('{}') });
    const after = await call(page, 'inspectHub', {
      endpoint: hub.url,
      repo: REPO,
      revision: 'main',
    });
    expect(before).toMatchObject({ ok: true, dtypes: ['fp16'] });
    expect(after).toEqual({ ok: true, commit: moved, dtypes: ['fp16'] });
    expect(after.ok && before.ok && after.commit !== before.commit).toBe(true);
  } finally {
    await hub.close();
  }
});
