// A Hub download in the worker: the manifest built from the listing pinned to
// the source's commit (the Hub has no manifest file), and each file's
// `resolve` URL, which redirects to the storage host.

import { hubManifest } from '../core/hubListing';
import type { ModelManifest } from '../core/manifest';
import { listTree, resolveRevision } from '../hub/hubApi';
import type { HubSource } from '../hub/hubSourceUrl';

export interface HubFetchOptions {
  token?: string;
  signal?: AbortSignal;
}

/** Lists the tree at the pinned commit and builds the manifest of the source's dtype. */
export async function fetchHubManifest(
  source: HubSource,
  options: HubFetchOptions = {},
): Promise<ModelManifest> {
  const req = { endpoint: source.endpoint, repo: source.repo, ...options };
  // At a commit, revision info is fixed too: task and license of that commit.
  const info = await resolveRevision({ ...req, revision: source.commit });
  const entries = await listTree({ ...req, commit: source.commit });
  return hubManifest({
    repo: source.repo,
    commit: source.commit,
    dtype: source.dtype,
    entries,
    task: info.task,
    license: info.license,
  });
}

/** `{endpoint}/{repo}/resolve/{commit}/{path}`, each path segment encoded. */
export function hubFileUrl(source: HubSource, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${source.endpoint}/${source.repo}/resolve/${source.commit}/${encoded}`;
}
