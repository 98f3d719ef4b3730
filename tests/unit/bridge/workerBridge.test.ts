// The one bridge's life rules, in Node: a "worker" here is a MessageChannel
// whose far end exposes an object over comlink, as a worker entry does
// (workers die for real, by the browser's hand, in
// tests/browser/download-worker-crash.spec.ts and runtimes.spec.ts).

import { expose, proxy } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { LIFE_SIGNAL } from '../../../src/bridge/lifeSignal';
import { WorkerBridge, type WorkerBridgeOptions } from '../../../src/bridge/workerBridge';
import { AppError } from '../../../src/core/errors';

interface Api {
  echo(value: string): string;
  fail(code: 'network' | 'runtime-crashed'): never;
  /** Settles when `release` is called; reports progress meanwhile. */
  hold(onProgress?: (step: number) => void): Promise<string>;
  release(): void;
}

interface FakeWorker {
  worker: Worker;
  /** Makes the worker die as a crash does: an error event, no answer to anything. */
  crash(message: string): void;
  terminated: boolean;
}

const opened: MessagePort[] = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

/** A worker whose far end serves `Api`; `alive: false` never sends the life signal. */
function fakeWorker(alive = true): FakeWorker {
  const { port1: page, port2: inside } = new MessageChannel();
  opened.push(page, inside);
  let releaseHold: () => void = () => {};
  const api: Api = {
    echo: (value) => value,
    fail: (code) => {
      throw new AppError(code, { from: 'worker' });
    },
    hold: (onProgress) =>
      new Promise((resolve) => {
        onProgress?.(1);
        releaseHold = () => resolve('released');
      }),
    release: () => releaseHold(),
  };
  expose(api, inside);
  // No Web Locks in Node: the empty lock name, as a worker without them sends.
  if (alive) inside.postMessage({ [LIFE_SIGNAL]: '' });
  const fake: FakeWorker = {
    terminated: false,
    worker: Object.assign(page, {
      terminate() {
        fake.terminated = true;
        inside.close();
      },
    }) as unknown as Worker,
    crash(message) {
      inside.close();
      const event = Object.assign(new Event('error', { cancelable: true }), { message });
      page.dispatchEvent(event);
    },
  };
  return fake;
}

function bridgeWith(options: Partial<WorkerBridgeOptions> = {}, alive = true) {
  const workers: FakeWorker[] = [];
  const bridge = new WorkerBridge<Api>({
    name: 'test',
    create: () => {
      const fake = fakeWorker(alive);
      workers.push(fake);
      return fake.worker;
    },
    ...options,
  });
  return { bridge, workers };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('WorkerBridge', () => {
  it('starts the worker on the first call, not when built', async () => {
    const { bridge, workers } = bridgeWith();
    expect(workers).toHaveLength(0);
    expect(await bridge.call((api) => api.echo('hi'))).toBe('hi');
    expect(await bridge.call((api) => api.echo('again'))).toBe('again');
    expect(workers).toHaveLength(1);
    bridge.terminate();
  });

  it('queues calls, and one that fails does not poison the next', async () => {
    const { bridge } = bridgeWith();
    const order: string[] = [];
    const held = bridge.call((api) => api.hold()).then((v) => order.push(v));
    const failed = failure(bridge.call((api) => api.fail('network')));
    const next = bridge.call((api) => api.echo('next')).then((v) => order.push(v));
    // The queued calls wait behind the held one: release it beside the queue.
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    await bridge.now((api) => api.release());
    await Promise.all([held, next]);
    expect((await failed).code).toBe('network');
    expect(order).toEqual(['released', 'next']);
    bridge.terminate();
  });

  it('a bridge that is not serial runs calls beside one in flight (a pause reaches a download)', async () => {
    const { bridge } = bridgeWith({ serial: false });
    const steps: number[] = [];
    const held = bridge.call((api) => api.hold(proxy((step: number) => steps.push(step))));
    await bridge.call((api) => api.release());
    expect(await held).toBe('released');
    // Progress travels on the callback's own channel, so it may trail the result.
    await expect.poll(() => steps).toEqual([1]);
    bridge.terminate();
  });

  it.each([
    ['the default', {}, 'runtime-crashed', {}],
    ['the download worker', { crashError: { code: 'worker-crashed' } }, 'worker-crashed', {}],
    [
      'a crash error with details',
      { crashError: { code: 'worker-crashed', details: { role: 'hash' } } },
      'worker-crashed',
      { role: 'hash' },
    ],
  ] as const)(
    'a worker that dies rejects every pending call with %s crash error, and the next call starts a fresh worker',
    async (_, options, code, details) => {
      const { bridge, workers } = bridgeWith({ serial: false, ...options });
      const first = failure(bridge.call((api) => api.hold()));
      const second = failure(bridge.call((api) => api.hold()));
      await bridge.call((api) => api.echo('started'));
      workers[0]?.crash('boom');
      for (const error of [await first, await second]) {
        expect(error.code).toBe(code);
        expect(error.details).toEqual({ ...details, worker: 'test', cause: 'boom' });
      }
      expect(bridge.running).toBe(false);
      expect(await bridge.call((api) => api.echo('fresh'))).toBe('fresh');
      expect(workers).toHaveLength(2);
      bridge.terminate();
    },
  );

  it('a worker reporting its own crash is ended; the next call gets a fresh one', async () => {
    const { bridge, workers } = bridgeWith();
    expect((await failure(bridge.call((api) => api.fail('runtime-crashed')))).code).toBe(
      'runtime-crashed',
    );
    expect(workers[0]?.terminated).toBe(true);
    expect(await bridge.call((api) => api.echo('fresh'))).toBe('fresh');
    expect(workers).toHaveLength(2);
    bridge.terminate();
  });

  it('a call over its time limit fails with its timeout error and ends the worker', async () => {
    const { bridge, workers } = bridgeWith();
    const error = await failure(
      bridge.call((api) => api.hold(), {
        timeoutMs: 30,
        timeoutError: { code: 'model-load-failed', details: { id: 'm' } },
      }),
    );
    expect(error.code).toBe('model-load-failed');
    expect(error.details).toEqual({ id: 'm', reason: 'timed out after 30 ms' });
    expect(workers[0]?.terminated).toBe(true);
    expect(await bridge.call((api) => api.echo('fresh'))).toBe('fresh');
    bridge.terminate();
  });

  it('a call without a time limit waits as long as the worker works', async () => {
    const { bridge } = bridgeWith({ serial: false });
    const held = bridge.call((api) => api.hold());
    await new Promise((r) => setTimeout(r, 100));
    await bridge.call((api) => api.release());
    expect(await held).toBe('released');
    bridge.terminate();
  });

  it('terminate() fails the pending calls with cancelled and its reason', async () => {
    const { bridge, workers } = bridgeWith({ name: 'download', serial: false });
    const held = failure(bridge.call((api) => api.hold()));
    await bridge.call((api) => api.echo('started'));
    bridge.terminate('worker-terminated');
    const error = await held;
    expect(error.code).toBe('cancelled');
    expect(error.details).toEqual({ worker: 'download', reason: 'worker-terminated' });
    expect(workers[0]?.terminated).toBe(true);
  });

  it('a worker that never says it is alive fails the call with the crash error', async () => {
    const { bridge, workers } = bridgeWith(
      { startTimeoutMs: 30, crashError: { code: 'worker-crashed' } },
      false,
    );
    const error = await failure(bridge.call((api) => api.echo('hi')));
    expect(error.code).toBe('worker-crashed');
    expect(error.details).toEqual({ worker: 'test', cause: 'worker did not start' });
    expect(workers[0]?.terminated).toBe(true);
  });

  it('ends the worker after idleMs without calls, and starts a new one for the next call', async () => {
    const { bridge, workers } = bridgeWith({ idleMs: 30 });
    await bridge.call((api) => api.echo('hi'));
    expect(bridge.running).toBe(true);
    await expect.poll(() => bridge.running).toBe(false);
    expect(workers[0]?.terminated).toBe(true);
    expect(await bridge.call((api) => api.echo('again'))).toBe('again');
    expect(workers).toHaveLength(2);
    bridge.terminate();
  });
});
