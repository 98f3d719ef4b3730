// Serves a stored model's files to a runtime that loads by URL: requests under
// LOCAL_MODEL_ROOT are answered from OPFS, so loading never touches the network.

import { AppError } from '../../core/errors';
import { readModelFile } from '../../storage/modelFiles';

export const LOCAL_MODEL_ROOT = '/__models__/';

/** The model name a runtime should ask for, e.g. `stories260k/1.0.0`. */
export function localModelName(id: string, version: string): string {
  return `${id}/${version}`;
}

/**
 * The name to give transformers.js for a stored model: its whole local path.
 * transformers.js puts `env.localModelPath` in front of valid Hub ids only, and
 * a Hub install's id (`owner--name-dtype`) is not one (it refuses `--`): given
 * the bare name, it asked for `owner--name-dtype/…/config.json` relative to the
 * page, which the fetch hook refuses, so every Hub model failed to load.
 */
export function transformersModelPath(id: string, version: string): string {
  return `${LOCAL_MODEL_ROOT}${localModelName(id, version)}`;
}

/** A fetch that reads `/__models__/<id>/<version>/<path>` from OPFS. */
export async function fetchStoredModelFile(input: RequestInfo | URL): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const path = url.startsWith(LOCAL_MODEL_ROOT) ? url : new URL(url, location.href).pathname;
  if (!path.startsWith(LOCAL_MODEL_ROOT)) {
    // Runtimes must not reach the network for model data; say so loudly.
    throw new AppError('model-load-failed', { url, reason: 'runtime asked for a non-local file' });
  }
  const [id, version, ...rest] = path.slice(LOCAL_MODEL_ROOT.length).split('/');
  if (!id || !version || rest.length === 0) return new Response(null, { status: 404 });
  try {
    const file = await readModelFile(id, version, rest.map(decodeURIComponent).join('/'));
    return new Response(file, {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.size) },
    });
  } catch (error) {
    if (AppError.is(error, 'model-not-installed')) return new Response(null, { status: 404 });
    throw error;
  }
}
