// Names the OS, browser and engine from what the browser tells about itself.
// Pure: the probe passes the user agent, touch points and client hints in.

import type { BrowserName, EngineName, OsName, PlatformReport } from './probeReport';

export interface PlatformClues {
  userAgent: string;
  maxTouchPoints: number;
  /** `navigator.userAgentData` (Chromium only): brands and the mobile flag. */
  brands?: Array<{ brand: string; version: string }>;
  mobile?: boolean;
  /** Full platform version from high-entropy client hints, when given. */
  platformVersion?: string;
}

/** Apple OSes, where every browser is WebKit and Safari's limits apply. */
export function isApplePlatform(os: OsName): boolean {
  return os === 'ios' || os === 'ipados' || os === 'macos';
}

export interface SafariVersion {
  major: number;
  minor: number;
}

/**
 * The Safari release whose WebKit runs this page on an Apple OS, from the UA's
 * `Version/26.2` token (Safari, and iOS browsers that keep the token); null on
 * other OSes (WebKitGTK's token is not a Safari release) or when absent.
 */
export function safariVersion(platform: PlatformReport): SafariVersion | null {
  if (platform.engine !== 'webkit' || !isApplePlatform(platform.os)) return null;
  const match = /\bVersion\/(\d+)(?:\.(\d+))?/.exec(platform.userAgent);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2] ?? 0) };
}

export function detectPlatform(clues: PlatformClues): PlatformReport {
  const ua = clues.userAgent;
  const { os, osVersion } = detectOs(ua, clues.maxTouchPoints);
  const { browser, browserVersion } = detectBrowser(ua, clues.brands);
  const engine = detectEngine(ua, os);
  const mobile =
    os === 'ios' ||
    os === 'ipados' ||
    os === 'android' ||
    clues.mobile === true ||
    /\bMobile\b/.test(ua);
  return {
    os,
    osVersion: clues.platformVersion || osVersion,
    browser,
    browserVersion,
    engine,
    mobile,
    userAgent: ua,
    maxTouchPoints: clues.maxTouchPoints,
  };
}

function detectOs(ua: string, touchPoints: number): { os: OsName; osVersion: string | null } {
  const version = (re: RegExp) => re.exec(ua)?.[1]?.replace(/_/g, '.') ?? null;
  if (/\biPhone\b|\biPod\b/.test(ua)) return { os: 'ios', osVersion: version(/OS (\d+[_.\d]*)/) };
  if (/\biPad\b/.test(ua)) return { os: 'ipados', osVersion: version(/OS (\d+[_.\d]*)/) };
  if (/\bMacintosh\b/.test(ua)) {
    // iPadOS Safari asks for desktop sites and presents itself as a Mac;
    // only the touch screen gives it away (a Mac reports 0 touch points).
    const osVersion = version(/Mac OS X (\d+[_.\d]*)/);
    return touchPoints > 1 ? { os: 'ipados', osVersion: null } : { os: 'macos', osVersion };
  }
  if (/\bAndroid\b/.test(ua)) return { os: 'android', osVersion: version(/Android (\d+[.\d]*)/) };
  if (/\bWindows\b/.test(ua)) return { os: 'windows', osVersion: version(/Windows NT (\d+\.\d+)/) };
  if (/\bCrOS\b/.test(ua)) return { os: 'chromeos', osVersion: null };
  if (/\bLinux\b|\bX11\b/.test(ua)) return { os: 'linux', osVersion: null };
  return { os: 'unknown', osVersion: null };
}

// Order matters: Edge, Opera and Samsung also say "Chrome", Chrome also says "Safari".
const BROWSER_TOKENS: Array<[BrowserName, RegExp]> = [
  ['edge', /\b(?:Edg|EdgiOS|EdgA)\/(\d+[.\d]*)/],
  ['opera', /\b(?:OPR|OPiOS)\/(\d+[.\d]*)/],
  ['samsung', /\bSamsungBrowser\/(\d+[.\d]*)/],
  ['firefox', /\b(?:Firefox|FxiOS)\/(\d+[.\d]*)/],
  ['chrome', /\b(?:HeadlessChrome|Chrome|CriOS)\/(\d+[.\d]*)/],
  ['safari', /\bVersion\/(\d+[.\d]*).*\bSafari\//],
];

function detectBrowser(
  ua: string,
  brands: PlatformClues['brands'],
): { browser: BrowserName; browserVersion: string | null } {
  for (const [browser, re] of BROWSER_TOKENS) {
    const match = re.exec(ua);
    if (!match) continue;
    // Chromium builds say "Chrome" in the UA; only the client-hint brands tell them apart.
    if (browser === 'chrome' && brands && brands.length > 0) {
      const names = brands.map((b) => b.brand);
      if (!names.includes('Google Chrome') && names.includes('Chromium')) {
        return { browser: 'chromium', browserVersion: match[1] ?? null };
      }
    }
    return { browser, browserVersion: match[1] ?? null };
  }
  return { browser: 'unknown', browserVersion: null };
}

function detectEngine(ua: string, os: OsName): EngineName {
  if (os === 'ios' || os === 'ipados') return 'webkit';
  if (/\bGecko\/\d/.test(ua) && /\bFirefox\//.test(ua)) return 'gecko';
  if (/\b(?:Chrome|Chromium|HeadlessChrome)\//.test(ua)) return 'blink';
  if (/\bAppleWebKit\//.test(ua)) return 'webkit';
  return 'unknown';
}
