// The rules a model file path (or a catalog's manifest path) must keep: each
// one is both a storage name and a URL relative to its document, so it is
// checked as both, and a list of them must not collide as either.

import { AppError } from './errors';

/** Longest path, in UTF-16 code units. */
export const MAX_PATH_LENGTH = 512;
/** Longest segment: 255 is the common file-name limit of file systems and OPFS backends. */
export const MAX_SEGMENT_LENGTH = 255;
/** Most folders plus the file name in one path. */
export const MAX_PATH_DEPTH = 16;

// Characters never allowed in a segment, raw or percent-decoded: separators in
// other guises (`\`), what ends a URL path (`#`, `?`), and `:`, which makes a
// first segment such as `https:evil.example` read as a scheme.
const FORBIDDEN = /[\\#?:]/;
// C0 and C1 controls and DEL: cannot be stored or served as file names.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what this rejects.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SPACE_AT_ENDS = /^\s|\s$/u;
const MALFORMED_ESCAPE = /%(?![0-9a-fA-F]{2})/;

/**
 * Why `path` is not a safe relative model path, in a few words, or null when it
 * is one. Checked per segment, raw and after percent-decoding (the URL parser
 * reads `%2e%2e` as `..`).
 */
export function pathProblem(path: unknown): string | null {
  if (typeof path !== 'string') return 'must be a string';
  if (path === '') return 'must not be empty';
  if (path.length > MAX_PATH_LENGTH) return `must be at most ${MAX_PATH_LENGTH} characters`;
  if (path.normalize('NFC') !== path) return 'must be in Unicode normal form C (NFC)';
  if (path.startsWith('/')) return 'must be relative, not start with /';
  const segments = path.split('/');
  if (segments.length > MAX_PATH_DEPTH) return `must have at most ${MAX_PATH_DEPTH} segments`;
  for (const segment of segments) {
    const raw = segmentProblem(segment);
    if (raw) return raw;
    if (MALFORMED_ESCAPE.test(segment)) return 'has a % that is not a %XX escape';
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'has a % escape that is not UTF-8';
    }
    if (decoded !== segment) {
      if (decoded.includes('/')) return 'must not encode / as %2F';
      const problem = segmentProblem(decoded);
      if (problem) return `${problem} once %-decoded`;
      if (decoded.normalize('NFC') !== decoded) return 'must be NFC once %-decoded';
    }
  }
  return null;
}

function segmentProblem(segment: string): string | null {
  if (segment === '') return 'must not have an empty segment (// or a trailing /)';
  if (segment === '.' || segment === '..') return 'must not have . or .. segments';
  if (segment.length > MAX_SEGMENT_LENGTH) {
    return `must have segments of at most ${MAX_SEGMENT_LENGTH} characters`;
  }
  if (CONTROL.test(segment)) return 'must not contain control characters';
  if (FORBIDDEN.test(segment)) return 'must not contain \\, #, ? or :';
  if (SPACE_AT_ENDS.test(segment)) return 'must not have a segment starting or ending in a space';
  return null;
}

/** Whether `path` is a safe relative model path (see `pathProblem`). */
export function isSafeRelativePath(path: string): boolean {
  return pathProblem(path) === null;
}

/**
 * Why `path`, resolved against `documentUrl`, is not a URL under the
 * document's folder on the same origin, or null with the URL it resolves to.
 */
export function confinedUrl(
  documentUrl: string,
  path: unknown,
): { url: string; problem: null } | { url: null; problem: string } {
  const problem = pathProblem(path);
  if (problem) return { url: null, problem };
  let folder: URL;
  let url: URL;
  try {
    folder = new URL('./', documentUrl);
    url = new URL(path as string, folder);
  } catch {
    return { url: null, problem: 'does not resolve to a URL' };
  }
  if (url.origin !== folder.origin || url.origin === 'null') {
    return { url: null, problem: 'resolves to another origin' };
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return { url: null, problem: 'resolves to a URL with a query, fragment or credentials' };
  }
  if (!url.pathname.startsWith(folder.pathname) || url.pathname === folder.pathname) {
    return { url: null, problem: "resolves outside the document's folder" };
  }
  return { url: url.href, problem: null };
}

/**
 * The absolute URL of a model file: `path` resolved against the manifest's
 * folder. Throws `invalid-manifest` unless it stays under that folder on the
 * manifest's origin, so a manifest can never send the downloader elsewhere.
 */
export function resolveModelFileUrl(manifestUrl: string, path: string): string {
  const resolved = confinedUrl(manifestUrl, path);
  if (resolved.problem !== null) {
    throw new AppError('invalid-manifest', {
      url: manifestUrl,
      path,
      problems: [`file path ${JSON.stringify(path)} ${resolved.problem}`],
    });
  }
  return resolved.url;
}

/**
 * The name two paths share when a server or a file system could take them for
 * the same file: percent-decoded, NFC and lower-cased (case-insensitive file
 * systems, such as APFS by default, fold case).
 */
export function pathCollisionKey(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // An undecodable path is refused by `pathProblem`; its raw form is its key.
  }
  return decoded.normalize('NFC').toLowerCase().normalize('NFC');
}

/**
 * Problems among a list of paths: two that name the same file (see
 * `pathCollisionKey`), or a file that is also used as a folder of another.
 * Each problem names the index of the later path.
 */
export function pathCollisions(
  paths: readonly string[],
): Array<{ index: number; problem: string }> {
  const files = new Map<string, number>();
  const folders = new Map<string, number>();
  const problems: Array<{ index: number; problem: string }> = [];
  for (const [index, path] of paths.entries()) {
    const key = pathCollisionKey(path);
    const same = files.get(key);
    if (same !== undefined) {
      problems.push({ index, problem: `names the same file as files[${same}].path` });
      continue;
    }
    const asFolder = folders.get(key);
    if (asFolder !== undefined) {
      problems.push({ index, problem: `is a folder of files[${asFolder}].path` });
      continue;
    }
    const parts = key.split('/');
    const prefixes = parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
    const asFile = prefixes.find((folder) => files.has(folder));
    if (asFile !== undefined) {
      problems.push({ index, problem: `uses files[${files.get(asFile)}].path as a folder` });
      continue;
    }
    for (const folder of prefixes) if (!folders.has(folder)) folders.set(folder, index);
    files.set(key, index);
  }
  return problems;
}
