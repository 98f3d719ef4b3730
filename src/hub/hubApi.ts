// The Hub API calls the app makes (revision → commit, the recursive tree with
// its `Link: rel="next"` pages), each failure a typed `AppError`. The access
// token goes only to the Hub endpoint's own origin, never to a storage host.

import { AppError, networkFailure } from '../core/errors';
import type { HubFileEntry } from '../core/hubListing';
import { normalEndpoint } from './hubSourceUrl';

export interface HubRequest {
  endpoint: string;
  repo: string;
  token?: string;
  signal?: AbortSignal;
}

/** What `/api/models/{repo}/revision/{rev}` says that the app uses. */
export interface HubRevisionInfo {
  commit: string;
  task: string | null;
  license: string | null;
  gated: boolean;
}

/** A tree listing longer than this is refused rather than held in memory. */
export const MAX_TREE_ENTRIES = 100_000;
const MAX_TREE_PAGES = 1_000;

/** Headers for a request to `url`: the token only where `url` is on the Hub endpoint. */
export function hubHeaders(url: string, endpoint: string, token?: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token && new URL(url).origin === new URL(endpoint).origin) {
    headers.authorization = `Bearer ${token}`;
  }
  return headers;
}

/** The typed error for a Hub answer that is not 2xx. */
export function hubStatusError(
  status: number,
  details: Record<string, unknown>,
  errorCode: string | null,
): AppError {
  // The real Hub answers 401 for an unknown repo when no token is sent, naming it in X-Error-Code.
  if (
    errorCode === 'RepoNotFound' ||
    errorCode === 'RevisionNotFound' ||
    errorCode === 'EntryNotFound'
  ) {
    return new AppError('not-found', { ...details, status, hubError: errorCode });
  }
  if (status === 401 || status === 403) {
    return new AppError('auth-required', {
      ...details,
      status,
      ...(errorCode ? { hubError: errorCode } : {}),
      hint:
        status === 401
          ? 'The repo is gated or private: open its page on the Hub, accept its terms, and add an access token.'
          : 'The access token was refused: check it, and that your account was granted access to the repo.',
    });
  }
  if (status === 404 || status === 410) return new AppError('not-found', { ...details, status });
  return new AppError('http-status', { ...details, status });
}

async function getJson(
  url: string,
  req: HubRequest,
): Promise<{ json: unknown; response: Response }> {
  const details = { repo: req.repo, url };
  let response: Response;
  try {
    response = await fetch(url, {
      headers: hubHeaders(url, req.endpoint, req.token),
      signal: req.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (req.signal?.aborted) throw req.signal.reason;
    throw networkFailure(error, details);
  }
  if (!response.ok) {
    void response.body?.cancel().catch(() => {});
    throw hubStatusError(response.status, details, response.headers.get('x-error-code'));
  }
  try {
    return { json: await response.json(), response };
  } catch (error) {
    if (req.signal?.aborted) throw req.signal.reason;
    throw new AppError('http-status', {
      ...details,
      status: response.status,
      reason: 'not JSON',
      cause: String(error),
    });
  }
}

function repoPath(repo: string): string {
  return repo.split('/').map(encodeURIComponent).join('/');
}

/** Resolves a branch, tag or commit to its commit, with the repo's task and license. */
export async function resolveRevision(
  req: HubRequest & { revision: string },
): Promise<HubRevisionInfo> {
  const url = `${normalEndpoint(req.endpoint)}/api/models/${repoPath(req.repo)}/revision/${encodeURIComponent(req.revision)}`;
  const { json } = await getJson(url, req);
  const info = (json ?? {}) as Record<string, unknown>;
  const sha = info.sha;
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) {
    throw new AppError('http-status', {
      repo: req.repo,
      url,
      reason: 'no commit sha in the answer',
    });
  }
  const card = (info.cardData ?? {}) as Record<string, unknown>;
  const tags = Array.isArray(info.tags) ? info.tags.filter((t) => typeof t === 'string') : [];
  const licenseTag = tags.find((t) => t.startsWith('license:'))?.slice('license:'.length);
  const license = typeof card.license === 'string' ? card.license : (licenseTag ?? null);
  return {
    commit: sha,
    task: typeof info.pipeline_tag === 'string' ? info.pipeline_tag : null,
    license,
    gated: info.gated === 'auto' || info.gated === 'manual' || info.gated === true,
  };
}

/** The next page of a `Link` header (`<url>; rel="next"`), resolved against the page's URL. */
export function nextPageUrl(link: string | null, base: string): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (match && /\brel\s*=\s*"?next"?/.test(match[2] as string)) {
      return new URL(match[1] as string, base).href;
    }
  }
  return null;
}

function isEntry(value: unknown): value is HubFileEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  const lfs = e.lfs as Record<string, unknown> | undefined;
  const lfsOk =
    lfs === undefined ||
    (typeof lfs === 'object' &&
      lfs !== null &&
      typeof lfs.oid === 'string' &&
      Number.isSafeInteger(lfs.size));
  return (
    typeof e.type === 'string' &&
    typeof e.path === 'string' &&
    typeof e.oid === 'string' &&
    Number.isSafeInteger(e.size) &&
    lfsOk
  );
}

/** Every entry of the repo at `commit`, all pages followed (on the endpoint's origin only). */
export async function listTree(req: HubRequest & { commit: string }): Promise<HubFileEntry[]> {
  const endpoint = normalEndpoint(req.endpoint);
  let url: string | null =
    `${endpoint}/api/models/${repoPath(req.repo)}/tree/${encodeURIComponent(req.commit)}?recursive=true&expand=false`;
  const entries: HubFileEntry[] = [];
  for (let pages = 0; url; pages++) {
    if (pages >= MAX_TREE_PAGES || new URL(url).origin !== new URL(endpoint).origin) {
      throw new AppError('http-status', {
        repo: req.repo,
        url,
        reason: 'tree pagination left the Hub or ran too long',
      });
    }
    const { json, response } = await getJson(url, req);
    if (!Array.isArray(json)) {
      throw new AppError('http-status', { repo: req.repo, url, reason: 'tree is not a list' });
    }
    for (const item of json) {
      if (!isEntry(item))
        throw new AppError('http-status', { repo: req.repo, url, reason: 'malformed tree entry' });
      entries.push(item);
    }
    if (entries.length > MAX_TREE_ENTRIES) {
      throw new AppError('http-status', {
        repo: req.repo,
        reason: `more than ${MAX_TREE_ENTRIES} files`,
      });
    }
    url = nextPageUrl(response.headers.get('link'), url);
  }
  return entries;
}
