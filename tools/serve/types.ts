// The model server's plugin contract and statistics types, kept apart so that
// plugins (throttling now, fault injection later) depend on them, not on the core.

import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import type { Readable } from 'node:stream';
import type { ByteRange } from '../../src/core/range';
import type { ServedFile } from './files';

/** What a plugin sees of a request before the server acts on it. */
export interface RequestContext {
  /** Request number on this server, from 0; never reset (not by `resetStats`, not by `setPlugins`). */
  readonly index: number;
  readonly method: string;
  /** The decoded URL path, e.g. `/tiny/1.0.0/model.onnx` (the key of `stats.byPath`). */
  readonly path: string;
  /** The headers the server acts on; a plugin may edit them (delete `range` to ignore Range). */
  readonly requestHeaders: IncomingHttpHeaders;
  /**
   * Where the path maps under the root (not yet checked to exist, be a file or
   * stay inside the root once symlinks are followed), or null for a path the
   * server refuses outright.
   */
  readonly filePath: string | null;
  /** To drop the connection, destroy `req.socket` (after 'finish', `res` no longer owns it). */
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/** A response the server has decided on but not yet sent. */
export interface ResponseContext extends RequestContext {
  /** The file served, or null for errors, preflights and the like. */
  readonly file: ServedFile | null;
  status: number;
  /** Lower-case header names; a plugin may rewrite them (e.g. a wrong Content-Range). */
  responseHeaders: OutgoingHttpHeaders;
  /** The bytes of the file the body carries (inclusive), or null when there is no body. */
  readonly range: ByteRange | null;
}

/** A response a plugin sends in place of the server's own (e.g. an injected 503). */
export interface PluginResponse {
  status: number;
  headers?: OutgoingHttpHeaders;
  body?: string | Uint8Array;
}

/**
 * Hooks run in the order plugins are given. `transformBody` wraps the body, the
 * first plugin's wrapper nearest the file and the last one's nearest the socket.
 */
export interface ServerPlugin {
  readonly name: string;
  /** Before the server looks at the request: edit its headers, or answer it outright. */
  onRequest?(ctx: RequestContext): PluginResponse | undefined | Promise<PluginResponse | undefined>;
  /** After status and headers are chosen, before they are sent. */
  onResponse?(ctx: ResponseContext): void | Promise<void>;
  /**
   * Wraps the body on its way out: pace, truncate, corrupt, stall or cut it.
   * Ending the wrapper early ends the response (the promised Content-Length
   * is not met); making it fail cuts the connection once the bytes it gave
   * have been flushed, so the client receives exactly those.
   */
  transformBody?(ctx: ResponseContext, body: Readable): Readable;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The Range header as received, before any plugin edited it. */
  range: string | null;
  /** 0 until the headers are sent. */
  status: number;
  /** Body bytes written to the socket so far. */
  bytes: number;
}

export interface ServerStats {
  requests: number;
  bytesSent: number;
  byPath: Map<string, { requests: number; bytes: number }>;
  log: RequestLogEntry[];
}

// Fault injection (tools/serve/faults.ts plays them, faultPlans.ts chooses them).

export type Fault =
  /** Cut the connection once `afterBytes` body bytes of this response have been sent. */
  | { kind: 'drop'; afterBytes: number }
  /** Send nothing for `ms` after `afterBytes` body bytes (Infinity: until the client gives up). */
  | { kind: 'stall'; afterBytes: number; ms: number }
  | { kind: 'status'; status: 500 | 503 | 429; retryAfterSeconds?: number }
  /** Answer a Range request with 200 and the whole body. */
  | { kind: 'ignore-range' }
  /** A Content-Range that does not match the bytes sent (which are the ones asked for). */
  | { kind: 'wrong-content-range' }
  /** End the body after `afterBytes` though the headers promised more, then close the connection. */
  | { kind: 'truncate'; afterBytes: number }
  /** Invert the byte at body offset `at` (clamped into the body). */
  | { kind: 'flip-byte'; at: number }
  /** Rewrite the file (same size, different bytes, new ETag and Last-Modified) before answering. */
  | { kind: 'change-file' };

export interface FaultRequest {
  method: string;
  path: string;
  /** The Range header as sent, or null. */
  range: string | null;
  /** Request number on this server, from 0 (see `RequestContext.index`). */
  index: number;
  /** Size of the file the path names, or null when it names none. */
  size: number | null;
}

export interface FaultPlan {
  /** The fault for this request, or null to serve it faithfully. Called once per request. */
  next(request: FaultRequest): Fault | null;
}

export interface InjectedFault {
  index: number;
  path: string;
  range: string | null;
  fault: Fault;
}

/**
 * What became of a fault the plan chose, written by the server when it knows:
 * `applied` once the fault acted on the wire (the status sent, the body cut,
 * stalled, ended or corrupted at its point, the header rewritten, the file
 * changed); `client-gone` when the client closed the response before the
 * fault's point; `no-effect` when there was nothing to act on (no body, no
 * Range to ignore, no file).
 */
export interface FaultLogEntry extends InjectedFault {
  outcome: 'applied' | 'client-gone' | 'no-effect';
  /** Body bytes this response had produced when the outcome was written. */
  bytesSent: number;
}
