// Worker side of the one bridge: exposes the worker's object over comlink at
// once (messages that arrive before a listener exists are lost), then holds the
// worker's life lock and tells its owner it is alive. Every worker entry calls it.

import { expose } from 'comlink';
import './transferErrors';
import { LIFE_SIGNAL, type LifeSignal, lifeLockName } from './lifeSignal';

/** What this needs of a dedicated worker's global scope (typed here so every tsconfig compiles it). */
interface WorkerScope {
  name: string;
  postMessage(message: unknown): void;
  navigator: { locks?: LockManager };
}

export function exposeWorker(api: object): void {
  expose(api);
  const scope = globalThis as unknown as WorkerScope;
  const lock = lifeLockName(scope.name);
  const signal: LifeSignal = { [LIFE_SIGNAL]: lock };
  const locks = scope.navigator.locks;
  if (!locks) {
    // No Web Locks (old Safari): the owner falls back to error events and timeouts.
    scope.postMessage({ [LIFE_SIGNAL]: '' });
    return;
  }
  // Held until the worker ends; the browser releases it however the worker dies.
  void locks.request(lock, () => {
    scope.postMessage(signal);
    return new Promise<never>(() => {});
  });
}
