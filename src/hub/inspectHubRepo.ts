// What a Hub repo offers this app at a revision: the commit it resolves to, its
// task, and the transformers.js variants with their files, bytes and memory.
// Nothing is downloaded but the two API answers.

import { AppError } from '../core/errors';
import { type HubFileEntry, type HubVariant, hubVariants } from '../core/hubListing';
import { listTree, resolveRevision } from './hubApi';
import { isHubRepoId, normalEndpoint } from './hubSourceUrl';

export type { HubFileEntry, HubVariant } from '../core/hubListing';
export { hubSourceUrl, isHubSourceUrl, parseHubSourceUrl } from './hubSourceUrl';

export interface HubRepoReport {
  repo: string;
  revision: string;
  commit: string;
  task: string | null;
  license: string | null;
  framework: 'transformers';
  variants: HubVariant[];
  files: HubFileEntry[];
}

export interface InspectHubRepoOptions {
  endpoint: string;
  repo: string;
  /** Branch, tag or commit; `main` when empty. */
  revision?: string;
  /** Sent only to the endpoint's origin. */
  token?: string;
  signal?: AbortSignal;
}

/** Resolves the revision, lists the tree at that commit and reads the variants from it. */
export async function inspectHubRepo(options: InspectHubRepoOptions): Promise<HubRepoReport> {
  const repo = options.repo.trim();
  const revision = options.revision?.trim() || 'main';
  if (!isHubRepoId(repo)) {
    throw new AppError('not-found', { repo, reason: 'not a Hub repo id (owner/name)' });
  }
  const req = { ...options, endpoint: normalEndpoint(options.endpoint), repo };
  const info = await resolveRevision({ ...req, revision });
  const files = await listTree({ ...req, commit: info.commit });
  const variants = hubVariants(files);
  if (variants.length === 0) {
    throw new AppError('no-runnable-files', {
      repo,
      revision,
      commit: info.commit,
      hint: 'transformers.js needs config.json and onnx/model.onnx (or a dtype of it).',
    });
  }
  return {
    repo,
    revision,
    commit: info.commit,
    task: info.task,
    license: info.license,
    framework: 'transformers',
    variants,
    files,
  };
}
