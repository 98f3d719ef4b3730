// Table-driven tests for Hub repo references: typed input, pasted Hub URLs and the deep link.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import {
  hubDeepLink,
  parseHubDeepLink,
  parseHubInput,
  repoIdProblem,
  revisionProblem,
} from '../../../src/core/hubRepoRef';

function invalidField(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(AppError.is(error, 'invalid-input')).toBe(true);
    return (error as AppError).details.field as string;
  }
  throw new Error('accepted invalid input');
}

describe('repoIdProblem', () => {
  it.each([
    'HuggingFaceTB/SmolLM2-135M-Instruct',
    'onnx-community/Qwen2.5-0.5B-Instruct',
    'Xenova/all-MiniLM-L6-v2',
    'a/b',
    'user_1/model.v2',
  ])('accepts %s', (repo) => expect(repoIdProblem(repo)).toBeNull());

  it.each([
    'gpt2',
    'a/b/c',
    '/a',
    'a/',
    '../a',
    'a/..',
    'a/.b',
    'a/b-',
    'a--b/c',
    'a/b..c',
    'a b/c',
    'a/b?x',
    'a/b#x',
    'a%2Fb/c',
    `a/${'x'.repeat(97)}`,
    '',
  ])('refuses %j', (repo) => expect(repoIdProblem(repo)).not.toBeNull());
});

describe('revisionProblem', () => {
  it.each(['main', 'v1.0', 'refs/pr/3', 'a'.repeat(40), 'release_2024-01'])('accepts %s', (r) =>
    expect(revisionProblem(r)).toBeNull(),
  );
  it.each(['', '../main', 'a/../b', 'a//b', 'main/', '/main', 'main?x', 'ma in', '-x'])(
    'refuses %j',
    (r) => expect(revisionProblem(r)).not.toBeNull(),
  );
});

describe('parseHubInput', () => {
  it.each<[string, string, { repo: string; revision: string }]>([
    ['  Xenova/whisper-tiny  ', '', { repo: 'Xenova/whisper-tiny', revision: 'main' }],
    ['a/b', 'v2', { repo: 'a/b', revision: 'v2' }],
    ['a/b@dev', '', { repo: 'a/b', revision: 'dev' }],
    ['a/b@dev', 'main', { repo: 'a/b', revision: 'main' }],
    ['https://huggingface.co/a/b', '', { repo: 'a/b', revision: 'main' }],
    ['https://huggingface.co/a/b/tree/v1.0', '', { repo: 'a/b', revision: 'v1.0' }],
    ['https://hf-mirror.com/a/b/blob/dev/config.json', '', { repo: 'a/b', revision: 'dev' }],
    ['https://huggingface.co/a/b?library=transformers.js', '', { repo: 'a/b', revision: 'main' }],
  ])('reads %j (revision %j)', (input, revision, expected) => {
    expect(parseHubInput(input, revision)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['', '', 'repo'],
    ['gpt2', '', 'repo'],
    ['https://huggingface.co/gpt2', '', 'repo'],
    ['a/b', '../x', 'revision'],
    ['a/b@', 'x y', 'revision'],
  ])('refuses %j (revision %j) naming the %s field', (input, revision, field) => {
    expect(invalidField(() => parseHubInput(input, revision))).toBe(field);
  });
});

describe('parseHubDeepLink', () => {
  it.each<[string, { repo: string; revision: string } | null]>([
    ['', null],
    ['#/chat', null],
    ['#/models', null],
    ['#/models/additional?repo=a/b', null],
    ['#/models/add?repo=a/b', { repo: 'a/b', revision: 'main' }],
    ['#/models/add?repo=a%2Fb&revision=v1', { repo: 'a/b', revision: 'v1' }],
    ['#/models/add?revision=refs/pr/2&repo=a/b', { repo: 'a/b', revision: 'refs/pr/2' }],
    ['#/models/add?repo=a/b&revision=', { repo: 'a/b', revision: 'main' }],
  ])('reads %j', (hash, expected) => {
    expect(parseHubDeepLink(hash)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['#/models/add', 'repo'],
    ['#/models/add?revision=main', 'repo'],
    ['#/models/add?repo=gpt2', 'repo'],
    ['#/models/add?repo=a/b&revision=../x', 'revision'],
    ['#/models/add?repo=https://evil.example/a/b', 'repo'],
  ])('refuses %j naming the %s field', (hash, field) => {
    expect(invalidField(() => parseHubDeepLink(hash))).toBe(field);
  });

  it('reads back the link it writes', () => {
    const ref = { repo: 'onnx-community/Qwen3-0.6B-ONNX', revision: 'refs/pr/1' };
    const link = hubDeepLink(ref);
    expect(link).toBe('#/models/add?repo=onnx-community/Qwen3-0.6B-ONNX&revision=refs/pr/1');
    expect(parseHubDeepLink(link)).toEqual(ref);
  });
});
