// The Hub client against the test Hub (tools/hub) over real HTTP: revision →
// commit, paginated tree, variants, and each typed error (auth, not found,
// nothing runnable); the token reaches the Hub endpoint only.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { nextPageUrl } from '../../../src/hub/hubApi';
import { hubSourceUrl, inspectHubRepo, parseHubSourceUrl } from '../../../src/hub/inspectHubRepo';
import { HubRepo, repoFromFolder } from '../../../tools/hub/hubRepos';
import { createHubServer, type HubServer } from '../../../tools/hub/hubServer';

const TINY = resolve(
  import.meta.dirname,
  '../../../../shared/models/transformers/tiny-random-llama-fp16',
);
const fixture = (name: string) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, `../../fixtures/hub/${name}.json`), 'utf8'));

let hub: HubServer;

beforeAll(async () => {
  const gated = await repoFromFolder({ repo: 'gated/tiny', dir: TINY, token: 'hf_right' });
  const noOnnx = fixture('no-onnx');
  const gpt2 = fixture('distilgpt2');
  hub = await createHubServer({
    pageSize: 3,
    repos: [
      await repoFromFolder({ repo: 'test/tiny-random-llama', dir: TINY }),
      gated,
      new HubRepo({ repo: noOnnx.repo, tree: noOnnx.tree, commitSha: noOnnx.revision.sha }),
      new HubRepo({ repo: gpt2.repo, tree: gpt2.tree, commitSha: gpt2.revision.sha }),
    ],
  });
});
afterAll(() => hub.close());

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('inspectHubRepo', () => {
  it('resolves main to its commit and reads the fp16 variant with its external data', async () => {
    const report = await inspectHubRepo({ endpoint: hub.url, repo: 'test/tiny-random-llama' });
    expect(report.commit).toBe(hub.repo('test/tiny-random-llama').branches.get('main'));
    expect(report.revision).toBe('main');
    expect(report.variants.map((v) => [v.dtype, v.files])).toEqual([
      [
        'fp16',
        [
          'config.json',
          'tokenizer.json',
          'tokenizer_config.json',
          'special_tokens_map.json',
          'onnx/model_fp16.onnx',
          'onnx/model_fp16.onnx_data',
        ],
      ],
    ]);
    expect(report.variants[0]?.bytes).toBe(416 + 3619013 + 1964 + 552 + 36024 + 2130080);
    const lfs = report.files.find((f) => f.path === 'onnx/model_fp16.onnx_data');
    expect(lfs?.lfs?.oid).toMatch(/^[0-9a-f]{64}$/);
  });

  it('follows every Link page (pages of 3): the same listing as one page', async () => {
    const before = hub.stats.api.length;
    const report = await inspectHubRepo({ endpoint: hub.url, repo: 'Xenova/distilgpt2' });
    const pages = hub.stats.api.slice(before).filter((a) => a.path.includes('/tree/')).length;
    const tree = fixture('distilgpt2').tree;
    expect(pages).toBe(Math.ceil(tree.length / 3));
    expect(report.files).toEqual(tree);
  });

  it('a moved branch resolves to the new commit; the old commit still lists the old files', async () => {
    const repo = hub.repo('test/tiny-random-llama');
    const first = await inspectHubRepo({ endpoint: hub.url, repo: repo.repo });
    const moved = repo.commit({
      'config.json': new TextEncoder().encode('{"model_type":"llama"}'),
    });
    const second = await inspectHubRepo({ endpoint: hub.url, repo: repo.repo, revision: 'main' });
    expect(second.commit).toBe(moved);
    expect(second.commit).not.toBe(first.commit);
    const pinned = await inspectHubRepo({
      endpoint: hub.url,
      repo: repo.repo,
      revision: first.commit,
    });
    expect(pinned.files).toEqual(first.files);
  });

  it('gated: auth-required with 401 without a token, 403 with a wrong one; the right one lists it', async () => {
    const none = await failure(inspectHubRepo({ endpoint: hub.url, repo: 'gated/tiny' }));
    expect([none.code, none.details.status]).toEqual(['auth-required', 401]);
    const wrong = await failure(
      inspectHubRepo({ endpoint: hub.url, repo: 'gated/tiny', token: 'hf_wrong' }),
    );
    expect([wrong.code, wrong.details.status]).toEqual(['auth-required', 403]);
    const report = await inspectHubRepo({
      endpoint: hub.url,
      repo: 'gated/tiny',
      token: 'hf_right',
    });
    expect(report.variants.map((v) => v.dtype)).toEqual(['fp16']);
  });

  it('unknown repo, unknown revision and a malformed id are not-found', async () => {
    for (const [repo, revision] of [
      ['nobody/nothing', 'main'],
      ['test/tiny-random-llama', 'no-such-branch'],
      ['not a repo', 'main'],
      ['../etc', 'main'],
    ] as const) {
      const error = await failure(inspectHubRepo({ endpoint: hub.url, repo, revision }));
      expect(error.code, repo).toBe('not-found');
    }
  });

  it('a repo with nothing transformers.js runs is no-runnable-files', async () => {
    const error = await failure(
      inspectHubRepo({ endpoint: hub.url, repo: fixture('no-onnx').repo }),
    );
    expect(error.code).toBe('no-runnable-files');
  });

  it('no Hub at the endpoint is a network error', async () => {
    const error = await failure(inspectHubRepo({ endpoint: 'http://127.0.0.1:1', repo: 'a/b' }));
    expect(error.code).toBe('network');
  });
});

describe('nextPageUrl', () => {
  const base = 'https://hub.example/api/models/a/b/tree/main?recursive=true';
  it.each([
    [null, null],
    ['', null],
    ['<https://hub.example/api/x?cursor=abc>; rel="next"', 'https://hub.example/api/x?cursor=abc'],
    ['</api/x?cursor=2>; rel=next', 'https://hub.example/api/x?cursor=2'],
    [
      '<https://hub.example/p1>; rel="prev", <https://hub.example/p3>; rel="next"',
      'https://hub.example/p3',
    ],
    ['<https://hub.example/p1>; rel="prev"', null],
  ])('%s → %s', (link, expected) => {
    expect(nextPageUrl(link, base)).toBe(expected);
  });
});

describe('hubSourceUrl', () => {
  const source = {
    endpoint: 'https://huggingface.co/',
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    commit: 'a'.repeat(40),
    dtype: 'q4' as const,
    revision: 'main',
  };
  it('round-trips, the endpoint without its trailing slash', () => {
    const url = hubSourceUrl(source);
    expect(url).toBe(
      'hub:HuggingFaceTB/SmolLM2-135M-Instruct@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?dtype=q4&endpoint=https%3A%2F%2Fhuggingface.co&revision=main',
    );
    expect(parseHubSourceUrl(url)).toEqual({ ...source, endpoint: 'https://huggingface.co' });
  });
  it.each([
    ['a manifest URL', 'https://host/m/1.0.0/manifest.json'],
    ['a short commit', 'hub:a/b@abc?dtype=q4&endpoint=https%3A%2F%2Fh'],
    ['an unknown dtype', `hub:a/b@${'a'.repeat(40)}?dtype=q3&endpoint=https%3A%2F%2Fh`],
    ['no endpoint', `hub:a/b@${'a'.repeat(40)}?dtype=q4`],
    ['a file: endpoint', `hub:a/b@${'a'.repeat(40)}?dtype=q4&endpoint=file%3A%2F%2F%2F`],
    ['a path in the repo id', `hub:a/b/c@${'a'.repeat(40)}?dtype=q4&endpoint=https%3A%2F%2Fh`],
  ])('refuses %s', (_name, url) => {
    expect(parseHubSourceUrl(url)).toBeNull();
  });
});
