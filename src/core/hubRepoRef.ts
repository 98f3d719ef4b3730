// A Hugging Face Hub model reference (`owner/name` at a revision) as the user
// types it, pastes it or opens it as a deep link (`#/models/add?repo=…`).

import * as v from 'valibot';
import { AppError } from './errors';

export interface HubRepoRef {
  repo: string;
  revision: string;
}

export const DEFAULT_REVISION = 'main';

// The Hub's own rule for repo names: word characters, `-` and `.`, at most 96
// per part, no `--` or `..`, and no `-`/`.` at either end.
const PART = /^(?![-.])(?!.*(?:--|\.\.))[A-Za-z0-9_.-]{1,96}(?<![-.])$/;

/** Why `repo` is not an `owner/name` Hub id, or null when it is one. */
export function repoIdProblem(repo: string): string | null {
  const parts = repo.split('/');
  if (parts.length !== 2) return 'must be owner/name';
  if (!parts.every((p) => PART.test(p))) {
    return 'must be owner/name in letters, digits, _, - and . (no -- or .., at most 96 each)';
  }
  return null;
}

/**
 * Why `revision` is not a branch, tag or commit name, or null. Git refs allow
 * more, but these characters keep it safe in a URL path once encoded and
 * cover what the Hub shows (`main`, `v1.0`, `refs/pr/3`, a 40-hex commit).
 */
export function revisionProblem(revision: string): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(revision)) {
    return 'must be a branch, tag or commit (letters, digits, ., _, - and /)';
  }
  if (revision.includes('..') || revision.includes('//') || revision.endsWith('/')) {
    return 'must not contain .. or empty path parts';
  }
  return null;
}

export const hubRepoSchema = v.pipe(
  v.string('must be a string'),
  v.check((s) => repoIdProblem(s) === null, 'must be a Hub repo id, owner/name'),
  v.description('A Hugging Face Hub model repository, `owner/name`.'),
);

export const hubRevisionSchema = v.pipe(
  v.string('must be a string'),
  v.check((s) => revisionProblem(s) === null, 'must be a branch, tag or commit name'),
  v.description('The branch, tag or commit to install; a branch that moves shows as an update.'),
);

/**
 * What the user typed or pasted: `owner/name`, `owner/name@rev`, or a Hub
 * page URL (`https://huggingface.co/owner/name/tree/rev`). Surrounding space
 * is ignored; anything else is `invalid-input` with the problem in plain words.
 */
export function parseHubInput(input: string, revision = ''): HubRepoRef {
  let text = input.trim();
  let rev = revision.trim();
  const url = /^https?:\/\/[^/]+\/(.*)$/.exec(text);
  if (url) {
    const path = (url[1] ?? '').split(/[?#]/)[0] ?? '';
    const [owner = '', name = '', kind, ...rest] = path.split('/');
    text = `${owner}/${name}`;
    if (!rev && (kind === 'tree' || kind === 'blob') && rest.length > 0) {
      rev = decodeURIComponent(rest[0] ?? '');
    }
  } else {
    const at = text.indexOf('@');
    if (at >= 0) {
      if (!rev) rev = text.slice(at + 1);
      text = text.slice(0, at);
    }
  }
  return checkedRef(text, rev || DEFAULT_REVISION);
}

function checkedRef(repo: string, revision: string): HubRepoRef {
  const problem = repoIdProblem(repo);
  if (problem) throw new AppError('invalid-input', { field: 'repo', value: repo, problem });
  const revProblem = revisionProblem(revision);
  if (revProblem) {
    throw new AppError('invalid-input', {
      field: 'revision',
      value: revision,
      problem: revProblem,
    });
  }
  return { repo, revision };
}

const ADD_ROUTE = '#/models/add';

/**
 * The Hub model a deep link names (`#/models/add?repo=owner/name&revision=main`),
 * `null` when the hash is not that route, and `invalid-input` when it is the
 * route with a missing or malformed repo.
 */
export function parseHubDeepLink(hash: string): HubRepoRef | null {
  if (hash !== ADD_ROUTE && !hash.startsWith(`${ADD_ROUTE}?`)) return null;
  const params = new URLSearchParams(hash.slice(ADD_ROUTE.length + 1));
  const repo = params.get('repo');
  if (repo === null) throw new AppError('invalid-input', { field: 'repo', problem: 'is missing' });
  return checkedRef(repo.trim(), (params.get('revision') ?? '').trim() || DEFAULT_REVISION);
}

/** The deep link that opens the Add screen on `ref`, for sharing. */
export function hubDeepLink(ref: HubRepoRef): string {
  const params = new URLSearchParams({ repo: ref.repo, revision: ref.revision });
  return `${ADD_ROUTE}?${params.toString().replaceAll('%2F', '/')}`;
}
