// The handshake by which a worker tells the page (or the worker that started
// it) it is alive: it takes a Web Lock for its whole life and then posts this
// message. When the worker dies for any reason (terminated, crashed, out of
// memory, closed by the browser) the browser releases the lock, which is how
// its owner learns of a death no event reports.

export const LIFE_SIGNAL = 'runanywhere:worker-alive';

export interface LifeSignal {
  [LIFE_SIGNAL]: string;
}

/** The lock a worker named `workerName` holds while it lives. */
export function lifeLockName(workerName: string): string {
  return `runanywhere-worker-life:${workerName}`;
}

/** The lock named by a life signal ('' when the worker has no Web Locks), or null for any other message. */
export function lifeSignalLock(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || !(LIFE_SIGNAL in data)) return null;
  const lock = (data as LifeSignal)[LIFE_SIGNAL];
  return typeof lock === 'string' ? lock : null;
}
