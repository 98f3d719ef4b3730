// Fault plans: which fault each request gets. Scripted plans follow rules
// written by a test; seeded plans draw faults at random, reproducibly.

import { parseRangeHeader, rangeLength } from '../../src/core/range';
import { mulberry32 } from '../mulberry32';
import type { Fault, FaultPlan, FaultRequest } from './types';

export interface FaultRule {
  /** Exact decoded path, or a pattern; absent matches every path. */
  path?: string | RegExp;
  /** Only GET requests by default, so CORS preflights and probes never use up a rule. */
  method?: string;
  fault: Fault;
  /** How many requests the rule applies to (default 1). */
  times?: number;
}

/** Each request gets the fault of the first rule that matches it and is not used up. */
export function scriptedFaults(rules: FaultRule[]): FaultPlan {
  const left = rules.map((rule) => rule.times ?? 1);
  return {
    next(request) {
      const i = rules.findIndex(
        (rule, n) =>
          (left[n] as number) > 0 &&
          request.method === (rule.method ?? 'GET') &&
          pathMatches(rule.path, request.path),
      );
      if (i < 0) return null;
      left[i] = (left[i] as number) - 1;
      return (rules[i] as FaultRule).fault;
    },
  };
}

export const ALL_FAULT_KINDS: readonly Fault['kind'][] = [
  'drop',
  'stall',
  'status',
  'ignore-range',
  'wrong-content-range',
  'truncate',
  'flip-byte',
  'change-file',
];

export interface SeededFaultOptions {
  /** Chance that a GET request gets a fault, from 0 to 1. */
  probability: number;
  /** The kinds to draw from (default: all). */
  kinds?: Fault['kind'][];
  /** At most this many faults in the run (default: no limit), given in arrival order. */
  maxFaults?: number;
  /** Only requests for this path (exact) or matching this pattern get faults. */
  path?: string | RegExp;
  /** How long a drawn stall lasts (default Infinity: until the client gives up). */
  stallMs?: number;
  /** Largest Retry-After a drawn 503/429 carries, in seconds (default 1). */
  maxRetryAfterSeconds?: number;
}

/**
 * Random faults, reproducible: each decision depends only on the seed and on
 * the request itself — its path, its Range and how many requests for that same
 * path and Range came before — so the same seed gives the same faults for the
 * same requests even when parallel connections interleave them differently.
 * Only `maxFaults` depends on arrival order. Body offsets are drawn inside the
 * body the request will get.
 */
export function seededFaults(seed: number, opts: SeededFaultOptions): FaultPlan {
  if (!(opts.probability >= 0 && opts.probability <= 1)) {
    throw new RangeError(`probability must be between 0 and 1, got ${opts.probability}`);
  }
  const kinds = opts.kinds ?? [...ALL_FAULT_KINDS];
  if (kinds.length === 0) throw new RangeError('seededFaults needs at least one fault kind');
  const maxFaults = opts.maxFaults ?? Number.POSITIVE_INFINITY;
  const seen = new Map<string, number>();
  let given = 0;
  return {
    next(request) {
      if (request.method !== 'GET' || !pathMatches(opts.path, request.path)) return null;
      const key = `${request.path}\n${request.range ?? ''}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      const random = mulberry32(hashText(`${seed >>> 0}\n${key}\n${occurrence}`));
      if (random() >= opts.probability || given >= maxFaults) return null;
      given++;
      const kind = kinds[Math.floor(random() * kinds.length)] as Fault['kind'];
      return drawFault(kind, random, bodyLength(request), opts);
    },
  };
}

function drawFault(
  kind: Fault['kind'],
  random: () => number,
  length: number,
  opts: SeededFaultOptions,
): Fault {
  const offset = () => Math.floor(random() * length);
  switch (kind) {
    case 'drop':
    case 'truncate':
      return { kind, afterBytes: offset() };
    case 'stall':
      return { kind, afterBytes: offset(), ms: opts.stallMs ?? Number.POSITIVE_INFINITY };
    case 'flip-byte':
      return { kind, at: offset() };
    case 'status': {
      const status = ([500, 503, 429] as const)[Math.floor(random() * 3)] ?? 503;
      // One time in three without Retry-After, so clients meet both.
      const pick = random();
      const maxWait = opts.maxRetryAfterSeconds ?? 1;
      return pick < 1 / 3
        ? { kind, status }
        : { kind, status, retryAfterSeconds: Math.floor(random() * (maxWait + 1)) };
    }
    default:
      return { kind };
  }
}

/** Bytes the response body will carry if served faithfully. */
function bodyLength(request: FaultRequest): number {
  if (request.size === null) return 0;
  const range = parseRangeHeader(request.range, request.size);
  if (range === 'unsatisfiable') return 0;
  return range ? rangeLength(range) : request.size;
}

function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

/** FNV-1a over UTF-16 code units: turns a request's identity into a seed. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
