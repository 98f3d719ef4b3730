// HTTP byte ranges (RFC 9110 §14): parsing `Range` and `Content-Range` and
// formatting them. Pure, so the dev server, download engine and service worker share it.

/** An inclusive byte range, as HTTP writes it: `bytes=0-9` is ten bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A parsed `Content-Range`. For the unsatisfied form (star in place of the range,
 * sent with 416) `start` and `end` are null and only `size` is known; when the
 * size is a star it is null.
 */
export type ContentRange =
  | { start: number; end: number; size: number | null }
  | { start: null; end: null; size: number };

const DIGITS = /^\d+$/;

/**
 * Resolves a `Range` request header against a representation of `size` bytes.
 * Returns the range to send, 'unsatisfiable' (answer 416), or null when the
 * header is absent, malformed, not in bytes or asks for several ranges — in all
 * of which the server should ignore it and send the whole representation.
 */
export function parseRangeHeader(
  header: string | null | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const eq = header.indexOf('=');
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== 'bytes') return null;
  const spec = header.slice(eq + 1).trim();
  // Multipart/byteranges responses are not worth supporting: the app never asks for them.
  if (spec.includes(',')) return null;
  const dash = spec.indexOf('-');
  if (dash < 0) return null;
  const first = spec.slice(0, dash).trim();
  const last = spec.slice(dash + 1).trim();

  if (first === '') {
    // Suffix range: the last n bytes.
    if (!DIGITS.test(last)) return null;
    const n = Number(last);
    if (n === 0) return 'unsatisfiable';
    // An empty representation has no bytes to select; sending it whole is equivalent.
    if (size === 0) return null;
    return { start: Math.max(0, size - n), end: size - 1 };
  }

  if (!DIGITS.test(first) || (last !== '' && !DIGITS.test(last))) return null;
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  if (end < start) return null; // An invalid range-spec is ignored, not refused.
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/** The `Range` request header for bytes `start` to `end` (inclusive), or to the end of the file. */
export function formatRangeHeader(start: number, end?: number): string {
  return end === undefined ? `bytes=${start}-` : `bytes=${start}-${end}`;
}

/** `Content-Range` for a 206 response; `size` null means the total length is unknown. */
export function formatContentRange(start: number, end: number, size: number | null): string {
  return `bytes ${start}-${end}/${size ?? '*'}`;
}

// `Content-Range` for a 416 response (`bytes */size`): tells the client the current size.
export function formatUnsatisfiedRange(size: number): string {
  return `bytes */${size}`;
}

/** Number of bytes an inclusive range covers. */
export function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}

/** Parses a `Content-Range` response header; null if absent or not well-formed. */
export function parseContentRange(header: string | null | undefined): ContentRange | null {
  if (!header) return null;
  const m = /^\s*bytes\s+(?:(\d+)-(\d+)|(\*))\/(\d+|\*)\s*$/i.exec(header);
  if (!m) return null;
  const size = m[4] === '*' ? null : Number(m[4]);
  if (m[3] === '*') {
    // `bytes */*` says nothing at all.
    return size === null ? null : { start: null, end: null, size };
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  if (size !== null && (!Number.isSafeInteger(size) || end >= size)) return null;
  return { start, end, size };
}
