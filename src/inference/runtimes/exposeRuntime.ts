// Worker side of a runtime worker: exposes the runtime over comlink at once
// (messages that arrive before a listener exists are lost), then holds the
// worker's life lock and tells the page it is alive.

import { expose } from 'comlink';
import '../../bridge/transferErrors';
import { LIFE_SIGNAL, type LifeSignal, lifeLockName } from '../lifeSignal';

declare const self: DedicatedWorkerGlobalScope;

export function exposeRuntime(runtime: object): void {
  expose(runtime);
  const lock = lifeLockName(self.name);
  const signal: LifeSignal = { [LIFE_SIGNAL]: lock };
  if (!navigator.locks) {
    // No Web Locks (old Safari): the page falls back to error events and timeouts.
    self.postMessage({ [LIFE_SIGNAL]: '' });
    return;
  }
  // Held until the worker ends; the browser releases it however the worker dies.
  void navigator.locks.request(lock, () => {
    self.postMessage(signal);
    return new Promise<never>(() => {});
  });
}
