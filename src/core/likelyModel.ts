// Which model the user most likely opens next: the one used most around this
// hour of the day, else the one used last. Pure, so preloading and its tests share it.

/** Per model key: how many times it was loaded in each local hour of the day (24 counts). */
export type HourlyUse = Readonly<Record<string, readonly number[]>>;

export interface UsageHistory {
  /** Per model key: when it was last loaded (ms since the epoch). */
  lastUsed: Readonly<Record<string, number>>;
  hourly: HourlyUse;
}

/** Hours either side of now that still count as "this time of day" (sparse histories need some slack). */
export const HOUR_WINDOW = 1;

/** Uses of `key` within HOUR_WINDOW of `hour`, wrapping round midnight. */
export function usesAround(hourly: HourlyUse, key: string, hour: number): number {
  const counts = hourly[key];
  if (!counts) return 0;
  let total = 0;
  for (let d = -HOUR_WINDOW; d <= HOUR_WINDOW; d++) total += counts[(hour + d + 24) % 24] ?? 0;
  return total;
}

/** The history with one more use of `key` at `at` (local time); other models' counts are kept. */
export function recordUse(hourly: HourlyUse, key: string, at: Date): Record<string, number[]> {
  const counts = Array.from({ length: 24 }, (_, h) => hourly[key]?.[h] ?? 0);
  counts[at.getHours()] = (counts[at.getHours()] ?? 0) + 1;
  return {
    ...Object.fromEntries(Object.entries(hourly).map(([k, v]) => [k, [...v]])),
    [key]: counts,
  };
}

/**
 * Of `keys`, the one used most around `hour`; a tie (or no use around this
 * hour) goes to the most recently used. Null when none of them was ever used.
 */
export function likelyModel(
  keys: readonly string[],
  history: UsageHistory,
  hour: number,
): string | null {
  const last = (key: string) => history.lastUsed[key] ?? 0;
  let best: string | null = null;
  for (const key of keys) {
    if (last(key) <= 0 && usesAround(history.hourly, key, hour) === 0) continue;
    if (best === null) {
      best = key;
      continue;
    }
    const byHour = usesAround(history.hourly, key, hour) - usesAround(history.hourly, best, hour);
    if (byHour > 0 || (byHour === 0 && last(key) > last(best))) best = key;
  }
  return best;
}
