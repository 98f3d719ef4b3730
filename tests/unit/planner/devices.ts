// Loads the probe reports in devices/: eight device classes modelled on published
// facts (assumptions in devices/README.md) and four recorded here (Chromium, WebKitGTK).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProbeReport } from '../../../src/core/probeReport';

export const DEVICES = [
  'ipad-safari-26',
  'ipad-safari-26-2',
  'mac-safari-26',
  'iphone-safari-18',
  'mac-chrome-m2',
  'windows-chrome-rtx4070',
  'android-chrome-midrange',
  'firefox-linux',
  'chromium-default',
  'chromium-default-not-isolated',
  'chromium-swiftshader',
  'webkitgtk-linux',
] as const;

export type DeviceName = (typeof DEVICES)[number];

export function device(name: DeviceName): ProbeReport {
  const path = resolve(import.meta.dirname, 'devices', `${name}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as ProbeReport;
}

/** A copy of a device's report with some facts changed, for one-rule tests. */
export function variantOf(name: DeviceName, change: (report: ProbeReport) => void): ProbeReport {
  const report = device(name);
  change(report);
  return report;
}
