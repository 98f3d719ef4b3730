// File-level HTTP semantics for the model server: mapping URL paths to files
// under the root safely, validators (ETag, Last-Modified), content types and
// the conditional-request checks (If-None-Match, If-Modified-Since, If-Range).

import type { FileHandle } from 'node:fs/promises';
import { open, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** A regular file opened for one response, with the validators sent for it. */
export interface ServedFile {
  /** Absolute path on disk. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Strong, quoted entity tag derived from size and mtime (nanoseconds). */
  etag: string;
  /** HTTP date of the mtime (whole seconds, as HTTP dates are). */
  lastModified: string;
  handle: FileHandle;
}

export type Resolved = { ok: true; path: string } | { ok: false; status: 400 | 404 };

/**
 * Maps the path part of a request target to a file under `root`. Anything that
 * could step outside it ('..' segments, encoded or not; backslashes; NUL) is a
 * 400 rather than being normalised away, so such requests are visible in tests.
 */
export function resolveRequestPath(root: string, rawPath: string): Resolved {
  if (!rawPath.startsWith('/')) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400 };
  if (decoded.split('/').some((part) => part === '..')) return { ok: false, status: 400 };
  const path = join(root, decoded);
  if (path !== root && !path.startsWith(root + sep)) return { ok: false, status: 400 };
  return { ok: true, path };
}

/** Decodes a URL path for logging; falls back to the raw text when it is not valid UTF-8. */
export function decodePathForLog(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

/**
 * Opens `path` if it is a regular file whose real location is inside `realRoot`
 * (a symlink out of the root is not served). Returns null for anything else.
 * Stat-ing the open handle means the validators describe exactly the bytes read.
 */
export async function openServedFile(path: string, realRoot: string): Promise<ServedFile | null> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return null;
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
  let handle: FileHandle;
  try {
    handle = await open(real, 'r');
  } catch {
    return null;
  }
  try {
    const st = await handle.stat({ bigint: true });
    if (!st.isFile()) {
      await handle.close();
      return null;
    }
    const size = Number(st.size);
    const mtimeMs = Number(st.mtimeMs);
    // Nanoseconds so that a rewrite within the same millisecond still changes the tag
    // (where the filesystem records them that finely).
    const etag = `"${st.size.toString(16)}-${st.mtimeNs.toString(16)}"`;
    const lastModified = new Date(mtimeMs).toUTCString();
    return { path: real, size, mtimeMs, etag, lastModified, handle };
  } catch {
    await handle.close();
    return null;
  }
}

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  // Weights and tokenizer blobs are opaque bytes.
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
  '.data': 'application/octet-stream',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`. */
export function noneMatchHits(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || opaqueTag(t) === etag);
}

/** Whether the file is unchanged since an If-Modified-Since date (whole seconds). */
export function notModifiedSince(header: string, file: ServedFile): boolean {
  const since = Date.parse(header);
  return Number.isFinite(since) && Math.floor(file.mtimeMs / 1000) * 1000 <= since;
}

/**
 * If-Range (RFC 9110 §13.1.5): the Range applies only if the validator still
 * matches. An entity tag must match strongly (a weak one never does); a date
 * must equal Last-Modified exactly, and only counts when Last-Modified is a
 * strong validator, i.e. at least a second old — a file can change twice in
 * the same second without its date changing.
 */
export function ifRangeHolds(header: string, file: ServedFile, now = Date.now()): boolean {
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === file.etag;
  const date = Date.parse(value);
  if (!Number.isFinite(date)) return false;
  if (now - file.mtimeMs < 1000) return false;
  return date === Math.floor(file.mtimeMs / 1000) * 1000;
}
