// Fault injection for the model server: a plugin that, request by request, asks
// a plan which fault (if any) to inject — cut or stall the body, answer an error
// status, ignore Range, lie in Content-Range, truncate, corrupt, change the file.
// The plans are in faultPlans.ts, what is done to a body in faultBodies.ts.

import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { formatContentRange, rangeLength } from '../../src/core/range';
import { changeFile } from './changeFile';
import { clamp, cutBody, flipByte } from './faultBodies';
import { FaultTracker } from './faultTracker';
import type {
  Fault,
  FaultLogEntry,
  FaultPlan,
  InjectedFault,
  RequestContext,
  ServerPlugin,
} from './types';

export { changeFile } from './changeFile';
export {
  ALL_FAULT_KINDS,
  type FaultRule,
  type SeededFaultOptions,
  scriptedFaults,
  seededFaults,
} from './faultPlans';
export type { Fault, FaultLogEntry, FaultPlan, FaultRequest, InjectedFault } from './types';

export interface FaultInjectionPlugin extends ServerPlugin {
  /** Every fault the plan chose, in the order the requests arrived. */
  readonly injected: InjectedFault[];
  /** One entry per chosen fault once its outcome is known, in the order they were settled. */
  readonly log: FaultLogEntry[];
  /**
   * Undoes 'change-file' faults: each file changed an odd number of times is
   * changed once more, which restores its original bytes (with a new validator).
   */
  restoreFiles(): Promise<void>;
}

/**
 * The plugin. Put it last among the plugins (after `throttle`), nearest the
 * socket, so that byte offsets count the bytes that actually leave.
 */
export function faultInjection(plan: FaultPlan): FaultInjectionPlugin {
  const chosen = new WeakMap<RequestContext['req'], Fault>();
  const injected: InjectedFault[] = [];
  const log: FaultLogEntry[] = [];
  const trackers = new WeakMap<RequestContext['req'], FaultTracker>();
  const changes = new Map<string, number>();
  const faultOf = (ctx: RequestContext) => chosen.get(ctx.req);
  const trackerOf = (ctx: RequestContext) => trackers.get(ctx.req);

  return {
    name: 'fault-injection',
    injected,
    log,
    async restoreFiles() {
      for (const [path, count] of changes) if (count % 2 === 1) await changeFile(path);
      changes.clear();
    },

    async onRequest(ctx) {
      const size = ctx.filePath ? await fileSize(ctx.filePath) : null;
      const range = headerText(ctx.requestHeaders.range);
      const fault = plan.next({
        method: ctx.method,
        path: ctx.path,
        range,
        index: ctx.index,
        size,
      });
      if (!fault) return undefined;
      chosen.set(ctx.req, fault);
      const entry = { index: ctx.index, path: ctx.path, range, fault };
      injected.push(entry);
      const tracker = new FaultTracker(entry, log);
      trackers.set(ctx.req, tracker);
      // The client may have left already (while the file was looked at): 'close' has fired.
      if (ctx.res.closed) tracker.settle('client-gone');
      else ctx.res.once('close', () => tracker.settle('client-gone'));
      switch (fault.kind) {
        case 'status':
          tracker.settle('applied');
          return {
            status: fault.status,
            headers: {
              'content-type': 'text/plain; charset=utf-8',
              ...(fault.retryAfterSeconds === undefined
                ? {}
                : { 'retry-after': String(fault.retryAfterSeconds) }),
            },
            body: `injected ${fault.status}`,
          };
        case 'ignore-range':
          if (range === null) tracker.settle('no-effect');
          delete ctx.requestHeaders.range;
          return undefined;
        case 'change-file':
          if (ctx.filePath && size !== null) {
            await changeFile(ctx.filePath);
            changes.set(ctx.filePath, (changes.get(ctx.filePath) ?? 0) + 1);
            tracker.settle('applied');
          } else tracker.settle('no-effect');
          return undefined;
        default:
          return undefined;
      }
    },

    onResponse(ctx) {
      const kind = faultOf(ctx)?.kind;
      // No body will follow (HEAD, 304, 416, errors): a body fault has nothing to act on.
      const bodyless = !ctx.file || !ctx.range || ctx.method === 'HEAD';
      if (
        bodyless &&
        (kind === 'flip-byte' || kind === 'drop' || kind === 'stall' || kind === 'truncate')
      )
        trackerOf(ctx)?.settle('no-effect');
      if (kind === 'ignore-range') {
        trackerOf(ctx)?.settle(ctx.status === 200 && ctx.file ? 'applied' : 'no-effect');
      }
      if (kind !== 'wrong-content-range') return;
      if (!ctx.file || !ctx.range) return void trackerOf(ctx)?.settle('no-effect');
      // Same length, so Content-Length still matches the body: only the label lies.
      const { start, end } = ctx.range;
      const size = ctx.file.size;
      ctx.status = 206;
      ctx.responseHeaders['content-range'] =
        end + 1 < size
          ? formatContentRange(start + 1, end + 1, size)
          : start > 0
            ? formatContentRange(start - 1, end - 1, size)
            : formatContentRange(start + 1, end + 1, size + 1);
      trackerOf(ctx)?.settle('applied');
    },

    transformBody(ctx, body) {
      const fault = faultOf(ctx);
      const tracker = trackerOf(ctx);
      const length = ctx.range ? rangeLength(ctx.range) : 0;
      if (!fault || !tracker) return body;
      switch (fault.kind) {
        case 'flip-byte':
          if (length === 0) {
            tracker.settle('no-effect');
            return body;
          }
          return Readable.from(flipByte(body, clamp(fault.at, 0, length - 1), tracker));
        case 'drop':
        case 'stall':
        case 'truncate': {
          const at = clamp(fault.afterBytes, 0, length);
          // A cut at the end of the body changes nothing the client can see.
          if (at === length) tracker.settle('no-effect');
          return cutBody(ctx, body, fault, at, tracker);
        }
        default:
          return body;
      }
    },
  };
}

async function fileSize(path: string): Promise<number | null> {
  const info = await stat(path).catch(() => null);
  return info?.isFile() ? info.size : null;
}

function headerText(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
