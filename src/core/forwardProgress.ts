// Download progress as the user sees it never moves backwards: a resume that
// drops the bytes of a partly fetched chunk re-counts them, so the display
// holds the highest count reached until the download passes it again.

import type { ProgressSnapshot } from './progress';

/**
 * `next`, with `doneBytes` never below `previous`'s when both describe the same
 * download (same total). A new total (another version, a repair) starts over.
 */
export function forwardProgress<P extends Pick<ProgressSnapshot, 'doneBytes' | 'totalBytes'>>(
  previous: P | null | undefined,
  next: P,
): P {
  if (!previous || previous.totalBytes !== next.totalBytes) return next;
  if (next.doneBytes >= previous.doneBytes) return next;
  return { ...next, doneBytes: previous.doneBytes };
}
