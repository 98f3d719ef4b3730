// WebNN facts: whether `navigator.ml` exists and whether a context can be made
// (the API can exist while every device behind it is unavailable).

import type { WebnnReport } from '../core/probeReport';

interface MlLike {
  createContext(options?: Record<string, unknown>): Promise<{ destroy?: () => void }>;
}

export async function probeWebnn(): Promise<WebnnReport> {
  const ml = (globalThis.navigator as unknown as { ml?: MlLike } | undefined)?.ml;
  if (!ml || typeof ml.createContext !== 'function') return { api: false, context: false };
  try {
    const context = await ml.createContext();
    context.destroy?.();
    return { api: true, context: true };
  } catch {
    return { api: true, context: false };
  }
}
