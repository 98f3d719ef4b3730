// The app's deployment config (`config.json` beside the app): where models come
// from. A static build names only the Hub endpoint; `npm start` adds the local
// demo model host. Either may be absent; nothing points at localhost by default.

import { AppError } from './errors';
import { isPlainObject } from './manifest';

export interface AppConfig {
  /** Base URL of a host serving `catalog.json` and manifests (the demo host), or null. */
  modelHost: string | null;
  /** Origin (and path prefix) of the Hugging Face Hub or a mirror, like `HF_ENDPOINT`; or null. */
  hubEndpoint: string | null;
}

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/**
 * Validates `config.json` and resolves its URLs against the page (`base`).
 * Unknown keys are ignored (an older app reads a newer config); a key of the
 * wrong type, a URL that is not http(s), or naming no source at all is
 * `invalid-catalog` with the problems listed.
 */
export function parseAppConfig(json: unknown, base: string): AppConfig {
  if (!isPlainObject(json)) {
    throw new AppError('invalid-catalog', {
      what: 'config',
      problems: ['config is not an object'],
    });
  }
  const problems: string[] = [];
  const url = (key: 'modelHost' | 'hubEndpoint'): string | null => {
    const value = json[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') {
      problems.push(`${key} must be a string`);
      return null;
    }
    let parsed: URL;
    try {
      parsed = new URL(value, base);
    } catch {
      problems.push(`${key} is not a URL`);
      return null;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      problems.push(`${key} must be an http(s) URL`);
      return null;
    }
    if (parsed.search || parsed.hash || parsed.username || parsed.password) {
      problems.push(`${key} must have no query, fragment or credentials`);
      return null;
    }
    return parsed.href;
  };
  const modelHost = url('modelHost');
  // The Hub's paths (`/api/models/…`, `/{repo}/resolve/…`) go after the endpoint: no trailing slash.
  const hubEndpoint = url('hubEndpoint')?.replace(/\/+$/, '') ?? null;
  if (problems.length === 0 && modelHost === null && hubEndpoint === null) {
    problems.push('config names neither a modelHost nor a hubEndpoint');
  }
  if (problems.length > 0) throw new AppError('invalid-catalog', { what: 'config', problems });
  return { modelHost, hubEndpoint };
}
