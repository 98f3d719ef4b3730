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
 * What transformers.js is asked to load, e.g. `/__models__/stories260k/1.0.0`: an
 * absolute path, not a model id. transformers.js takes an id with `--` (every Hub
 * install's, `owner--name-dtype`) for no model id and looks for its files relative
 * to the worker's script, where none are.
 */
export function localModelPath(id: string, version: string): string {
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
