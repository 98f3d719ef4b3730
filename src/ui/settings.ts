// What the user set (theme, default model, preloading) and what the app
// remembers per model (when it was last used, and how often at each hour of
// the day, for preloading), kept in localStorage so they
// apply before anything else loads. Clearing all data clears these too.

import { signal } from '@preact/signals';
import { type HourlyUse, recordUse } from '../core/likelyModel';

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  theme: Theme;
  /** Model key (`id@version`) the chat opens with; null: the last used. */
  defaultModel: string | null;
  /** Warm up the likely next model when the device is idle. */
  preload: boolean;
}

const KEY = 'runanywhere.settings';
const USAGE_KEY = 'runanywhere.lastUsed';
const HOURLY_KEY = 'runanywhere.usageByHour';
const DEFAULTS: Settings = { theme: 'system', defaultModel: null, preload: true };

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? { ...fallback, ...(JSON.parse(raw) as T) } : fallback;
  } catch {
    // Storage blocked or a value from a broken write: the defaults are safe.
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full disk: the setting holds for this visit only.
  }
}

export const settings = signal<Settings>(DEFAULTS);
/** Per model key: when the chat last loaded it (ms since the epoch). */
export const lastUsed = signal<Record<string, number>>({});
/** Per model key: how many times the chat loaded it in each local hour of the day. */
export const usageByHour = signal<HourlyUse>({});

/** Reads what was saved (the composition root calls it before the first render). */
export function loadSettings(): void {
  settings.value = read(KEY, DEFAULTS);
  lastUsed.value = read<Record<string, number>>(USAGE_KEY, {});
  usageByHour.value = read<HourlyUse>(HOURLY_KEY, {});
  applyTheme();
}

export function updateSettings(patch: Partial<Settings>): void {
  settings.value = { ...settings.value, ...patch };
  write(KEY, settings.value);
  applyTheme();
}

export function markUsed(modelKey: string, at = Date.now()): void {
  // peek: callers run inside effects, which must not depend on what they write.
  lastUsed.value = { ...lastUsed.peek(), [modelKey]: at };
  write(USAGE_KEY, lastUsed.value);
  usageByHour.value = recordUse(usageByHour.peek(), modelKey, new Date(at));
  write(HOURLY_KEY, usageByHour.value);
}

/** The stylesheet follows `data-theme`; "system" leaves it to prefers-color-scheme. */
function applyTheme(): void {
  const theme = settings.value.theme;
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
