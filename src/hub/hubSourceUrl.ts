// The string that names a Hub download wherever a manifest URL names one today
// (journal, download records, the cross-tab coordinator, `startDownload(url)`):
// `hub:<owner>/<name>@<commit>?dtype=<dtype>&endpoint=<url>[&revision=<rev>]`.

import { DTYPES, type Dtype } from '../core/manifest';

export interface HubSource {
  /** The Hub's base URL, e.g. `https://huggingface.co` (no trailing slash). */
  endpoint: string;
  repo: string;
  /** The 40-hex commit the install is pinned to. */
  commit: string;
  dtype: Dtype;
  /** The branch or tag the user asked for, kept for the installed record. */
  revision?: string;
}

const PREFIX = 'hub:';
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9._-]+$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** Whether `repo` reads as a Hub repo id, `owner/name`. */
export function isHubRepoId(repo: string): boolean {
  return repo.length <= 96 && REPO_ID.test(repo) && !repo.includes('..');
}

/** The Hub endpoint without a trailing slash, so every caller builds the same strings. */
export function normalEndpoint(endpoint: string): string {
  return endpoint.replace(/\/+$/, '');
}

export function hubSourceUrl(source: HubSource): string {
  const params = new URLSearchParams({
    dtype: source.dtype,
    endpoint: normalEndpoint(source.endpoint),
  });
  if (source.revision) params.set('revision', source.revision);
  return `${PREFIX}${source.repo}@${source.commit}?${params}`;
}

export function isHubSourceUrl(url: string): boolean {
  return url.startsWith(PREFIX);
}

/** The source a `hubSourceUrl` string names, or null when it is not one (or malformed). */
export function parseHubSourceUrl(url: string): HubSource | null {
  if (!isHubSourceUrl(url)) return null;
  const query = url.indexOf('?');
  if (query < 0) return null;
  const head = url.slice(PREFIX.length, query);
  const at = head.lastIndexOf('@');
  const repo = head.slice(0, at);
  const commit = head.slice(at + 1);
  const params = new URLSearchParams(url.slice(query + 1));
  const dtype = params.get('dtype') as Dtype | null;
  const endpoint = params.get('endpoint');
  if (at < 0 || !isHubRepoId(repo) || !COMMIT.test(commit)) return null;
  if (!dtype || !DTYPES.includes(dtype) || !endpoint || !/^https?:\/\//.test(endpoint)) return null;
  const revision = params.get('revision');
  return { endpoint, repo, commit, dtype, ...(revision ? { revision } : {}) };
}
