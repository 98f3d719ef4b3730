// Reads a JSON response body with a size cap, so that a host sending an
// endless (or huge) body cannot exhaust the tab's memory: past the cap the
// body is cancelled and a typed error says so. Every JSON the app fetches
// (manifest, catalog, config) goes through here.

import { CATALOG_MAX_BYTES } from './catalog';
import { AppError, type ErrorCode, type ErrorDetails } from './errors';
import { MANIFEST_MAX_BYTES } from './manifest';

/**
 * Largest body accepted per kind of document. The manifest and catalog caps
 * are their schemas' own bounds (src/core/manifest.ts, catalog.ts), so every
 * document the schema could accept can be read, and nothing larger is.
 */
export const JSON_LIMITS = {
  manifest: MANIFEST_MAX_BYTES,
  catalog: CATALOG_MAX_BYTES,
  config: 64 * 1024,
} as const;

export interface BoundedReadOptions {
  /** Most bytes accepted. */
  limit: number;
  /** The error code a body past the limit gets (e.g. `invalid-manifest`). */
  code: ErrorCode;
  /** Added to the error's details (url, what). */
  details?: ErrorDetails;
  /** Called before every read (e.g. to re-arm a stall timer). */
  onRead?: () => void;
}

/**
 * The body's bytes, at most `limit` of them. A declared Content-Length past
 * the limit fails before any byte is read; a body that goes past it is
 * cancelled at once (the connection is closed, nothing more is buffered).
 */
export async function readBoundedBytes(
  body: ReadableStream<Uint8Array> | null,
  contentLength: string | null,
  options: BoundedReadOptions,
): Promise<Uint8Array> {
  const { limit } = options;
  const tooLarge = (received: Record<string, number>) =>
    new AppError(options.code, { ...options.details, reason: 'too-large', limit, ...received });
  const declared = contentLength === null ? null : Number(contentLength);
  if (declared !== null && declared > limit) {
    await body?.cancel().catch(() => {});
    throw tooLarge({ declared });
  }
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      options.onRead?.();
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw tooLarge({ received: size });
      parts.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return bytes;
}

/** Parses a bounded body as JSON; text that is not JSON is the same typed error (reason 'not-json'). */
export async function readBoundedJson(
  response: Pick<Response, 'body' | 'headers'>,
  options: BoundedReadOptions,
): Promise<unknown> {
  const bytes = await readBoundedBytes(
    response.body,
    response.headers.get('content-length'),
    options,
  );
  return parseJsonBytes(bytes, options.code, options.details);
}

export function parseJsonBytes(
  bytes: Uint8Array,
  code: ErrorCode,
  details: ErrorDetails = {},
): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw AppError.from(cause, code, { ...details, reason: 'not-json' });
  }
}
