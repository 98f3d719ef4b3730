// Gathers the platform clues the browser offers (user agent, touch points,
// client hints where Chromium has them) and names the platform from them.

import { detectPlatform, type PlatformClues } from '../core/platform';
import type { PlatformReport } from '../core/probeReport';

interface UaDataLike {
  brands?: Array<{ brand: string; version: string }>;
  mobile?: boolean;
  getHighEntropyValues?(hints: string[]): Promise<{ platformVersion?: string }>;
}

export async function probePlatform(): Promise<PlatformReport> {
  const nav = navigator as Navigator & { userAgentData?: UaDataLike };
  const clues: PlatformClues = {
    userAgent: nav.userAgent,
    maxTouchPoints: nav.maxTouchPoints ?? 0,
  };
  const uaData = nav.userAgentData;
  if (uaData) {
    if (uaData.brands) clues.brands = uaData.brands;
    if (typeof uaData.mobile === 'boolean') clues.mobile = uaData.mobile;
    const high = await uaData.getHighEntropyValues?.(['platformVersion']).catch(() => undefined);
    if (high?.platformVersion) clues.platformVersion = high.platformVersion;
  }
  return detectPlatform(clues);
}
