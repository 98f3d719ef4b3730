// Preloading: when the page is idle, load the model the user most likely uses
// next (the default model, else the one used most around this hour of the
// day, else the last used: `likelyModel`) so the first reply starts
// without a load wait. Never on battery saver, never with less memory than
// the model needs, and not when the setting is off. The load time it took is
// what the user did not have to wait for, and is shown.

import { signal } from '@preact/signals';
import { likelyModel, type UsageHistory } from '../core/likelyModel';
import { plannerModelFromManifest } from '../core/planner';
import { variantFootprint } from '../core/planRules';
import type { TextEngine } from '../inference/types';
import type { InstalledModel } from '../storage/db';
import { installed } from './installedModels';
import { textLoadRequest } from './modelPlan';
import { lastUsed, settings, usageByHour } from './settings';

export type PreloadState =
  | { status: 'off' | 'idle' }
  | { status: 'skipped'; reason: string }
  | { status: 'loading'; modelKey: string }
  | { status: 'ready'; modelKey: string; loadMs: number }
  | { status: 'failed'; modelKey: string };

export const preload = signal<PreloadState>({ status: 'idle' });

/**
 * The model to warm up: the chosen default, else the one used most around
 * `hour` (local), else the most recently used; never a damaged one.
 */
export function preloadCandidate(
  models: readonly InstalledModel[],
  usage: UsageHistory,
  defaultModel: string | null,
  hour: number = new Date().getHours(),
): InstalledModel | null {
  const usable = models.filter((m) => !m.damage && m.manifest.task === 'text-generation');
  const chosen = usable.find((m) => m.key === defaultModel);
  if (chosen) return chosen;
  const key = likelyModel(
    usable.map((m) => m.key),
    usage,
    hour,
  );
  return usable.find((m) => m.key === key) ?? null;
}

/** What the app remembers of the user's use of each model. */
export function usageHistory(): UsageHistory {
  return { lastUsed: lastUsed.value, hourly: usageByHour.value };
}

interface BatteryManager {
  charging: boolean;
  level: number;
}

/**
 * Battery saver is not exposed to pages; a battery that is discharging and at
 * or below 20 % (where phones and laptops switch it on by default) stands in.
 */
async function onBatterySaver(): Promise<boolean> {
  const getBattery = (navigator as Navigator & { getBattery?: () => Promise<BatteryManager> })
    .getBattery;
  if (typeof getBattery !== 'function') return false;
  const battery = await getBattery.call(navigator).catch(() => null);
  return battery !== null && !battery.charging && battery.level <= 0.2;
}

/**
 * Whether the memory the browser reports covers the model's smallest variant, as the
 * planner estimates its peak (measured ratios); unknown memory is not a refusal.
 */
function memoryAllows(model: InstalledModel): boolean {
  const deviceGB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  const planned = plannerModelFromManifest(model.manifest);
  const needs = Math.min(
    ...planned.variants.map(
      (v) =>
        variantFootprint(v, planned.framework, planned.files, planned.sizeBytes)?.bytes ??
        Number.POSITIVE_INFINITY,
    ),
  );
  if (typeof deviceGB !== 'number' || !Number.isFinite(needs)) return true;
  // deviceMemory is rounded down to a power of two and capped at 8: a floor, not the total.
  return deviceGB * 1024 ** 3 >= needs;
}

/** Schedules the warm-up for the next idle moment (the composition root calls it once). */
export function schedulePreload(engine: TextEngine): void {
  const run = () => void preloadNow(engine);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 15_000 });
  else setTimeout(run, 3000);
}

export async function preloadNow(engine: TextEngine): Promise<void> {
  if (!settings.value.preload) {
    preload.value = { status: 'off' };
    return;
  }
  const model = preloadCandidate(installed.value, usageHistory(), settings.value.defaultModel);
  if (!model) {
    preload.value = { status: 'skipped', reason: 'no model used yet' };
    return;
  }
  if (await onBatterySaver()) {
    preload.value = { status: 'skipped', reason: 'battery low' };
    return;
  }
  if (!memoryAllows(model)) {
    preload.value = { status: 'skipped', reason: 'not enough memory' };
    return;
  }
  preload.value = { status: 'loading', modelKey: model.key };
  const started = performance.now();
  try {
    // The runtime keeps a loaded model: the chat's own load of it then returns at once.
    await engine.load(await textLoadRequest(model.manifest));
    preload.value = {
      status: 'ready',
      modelKey: model.key,
      loadMs: Math.round(performance.now() - started),
    };
  } catch {
    // The chat's own load reports the error, with the model's card, when the user asks.
    preload.value = { status: 'failed', modelKey: model.key };
  }
}
