// Which failed downloads the app resumes by itself once the network is back:
// those the connection broke, not those a server or the disk refused.

import type { AppErrorData } from './errors';

/** True when the error means "the connection went away", so retrying later can succeed. */
export function reconnectable(error: Pick<AppErrorData, 'code' | 'details'>): boolean {
  if (error.code === 'network') return true;
  // A gateway or server that is briefly unavailable answers 5xx; 4xx will not change by waiting.
  if (error.code === 'http-status') {
    const status = error.details.status;
    return typeof status === 'number' && (status === 408 || status === 429 || status >= 500);
  }
  return false;
}
