// Platform detection from user agents, touch points and client hints; above
// all, an iPad in desktop mode (it says "Macintosh") is told apart from a Mac.

import { describe, expect, it } from 'vitest';
import { detectPlatform, type PlatformClues, safariVersion } from '../../../src/core/platform';
import type { PlatformReport } from '../../../src/core/probeReport';
import { DEVICES, device } from '../planner/devices';

const UA = {
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1',
  ipadMobileSite:
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  chromeIpadDesktop:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/141.0.7390.41 Mobile/15E148 Safari/604.1',
  firefoxIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/143.0 Mobile/15E148 Safari/605.1.15',
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.3537.57',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36',
  samsungAndroid:
    'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:143.0) Gecko/20100101 Firefox/143.0',
  headlessChromium:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  chromebook:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
  webkitGtk:
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
};

const CASES: Array<{
  name: string;
  clues: PlatformClues;
  expected: Partial<PlatformReport>;
}> = [
  {
    name: 'an iPad in desktop mode says Macintosh but has a touch screen',
    clues: { userAgent: UA.safariMac, maxTouchPoints: 5 },
    expected: {
      os: 'ipados',
      browser: 'safari',
      browserVersion: '26.0',
      engine: 'webkit',
      mobile: true,
    },
  },
  {
    name: 'a Mac with Safari has no touch points',
    clues: { userAgent: UA.safariMac, maxTouchPoints: 0 },
    expected: {
      os: 'macos',
      osVersion: '10.15.7',
      browser: 'safari',
      engine: 'webkit',
      mobile: false,
    },
  },
  {
    name: 'one touch point (a Mac with a touch bar or pen tablet) is still a Mac',
    clues: { userAgent: UA.safariMac, maxTouchPoints: 1 },
    expected: { os: 'macos' },
  },
  {
    name: 'an iPhone',
    clues: { userAgent: UA.iphone, maxTouchPoints: 5 },
    expected: {
      os: 'ios',
      osVersion: '18.6',
      browser: 'safari',
      browserVersion: '18.6',
      mobile: true,
    },
  },
  {
    name: 'an iPad asking for the mobile site names itself',
    clues: { userAgent: UA.ipadMobileSite, maxTouchPoints: 5 },
    expected: { os: 'ipados', osVersion: '17.5', browser: 'safari', mobile: true },
  },
  {
    name: 'Chrome on an iPad is WebKit underneath',
    clues: { userAgent: UA.chromeIpadDesktop, maxTouchPoints: 5 },
    expected: {
      os: 'ipados',
      browser: 'chrome',
      browserVersion: '141.0.7390.41',
      engine: 'webkit',
    },
  },
  {
    name: 'Firefox on an iPhone is WebKit underneath',
    clues: { userAgent: UA.firefoxIphone, maxTouchPoints: 5 },
    expected: { os: 'ios', browser: 'firefox', engine: 'webkit' },
  },
  {
    name: 'Chrome on a Mac, with client hints naming Google Chrome',
    clues: {
      userAgent: UA.chromeMac,
      maxTouchPoints: 0,
      brands: [
        { brand: 'Google Chrome', version: '141' },
        { brand: 'Chromium', version: '141' },
      ],
      mobile: false,
      platformVersion: '15.5.0',
    },
    expected: {
      os: 'macos',
      osVersion: '15.5.0',
      browser: 'chrome',
      engine: 'blink',
      mobile: false,
    },
  },
  {
    name: 'Edge on Windows is not taken for Chrome',
    clues: { userAgent: UA.edgeWindows, maxTouchPoints: 0 },
    expected: {
      os: 'windows',
      osVersion: '10.0',
      browser: 'edge',
      browserVersion: '141.0.3537.57',
      engine: 'blink',
    },
  },
  {
    name: 'Chrome on Android',
    clues: { userAgent: UA.chromeAndroid, maxTouchPoints: 5, mobile: true },
    expected: { os: 'android', osVersion: '10', browser: 'chrome', engine: 'blink', mobile: true },
  },
  {
    name: 'Samsung Internet is not taken for Chrome',
    clues: { userAgent: UA.samsungAndroid, maxTouchPoints: 5 },
    expected: { os: 'android', osVersion: '14', browser: 'samsung', browserVersion: '28.0' },
  },
  {
    name: 'Firefox on Linux is Gecko',
    clues: { userAgent: UA.firefoxLinux, maxTouchPoints: 0 },
    expected: {
      os: 'linux',
      browser: 'firefox',
      browserVersion: '143.0',
      engine: 'gecko',
      mobile: false,
    },
  },
  {
    name: 'headless Chromium whose only brand is Chromium',
    clues: {
      userAgent: UA.headlessChromium,
      maxTouchPoints: 0,
      brands: [
        { brand: 'Not:A-Brand', version: '8' },
        { brand: 'Chromium', version: '156' },
      ],
    },
    expected: { os: 'linux', browser: 'chromium', browserVersion: '156.0.0.0', engine: 'blink' },
  },
  {
    name: 'a Chromebook',
    clues: { userAgent: UA.chromebook, maxTouchPoints: 0 },
    expected: { os: 'chromeos', browser: 'chrome', engine: 'blink' },
  },
  {
    name: 'WebKitGTK on Linux is Safari-like WebKit',
    clues: { userAgent: UA.webkitGtk, maxTouchPoints: 0 },
    expected: { os: 'linux', browser: 'safari', browserVersion: '18.0', engine: 'webkit' },
  },
  {
    name: 'an empty user agent is unknown, not a guess',
    clues: { userAgent: '', maxTouchPoints: 0 },
    expected: { os: 'unknown', browser: 'unknown', engine: 'unknown', browserVersion: null },
  },
];

describe('detectPlatform', () => {
  for (const c of CASES) {
    it(`detects ${c.name}`, () => {
      const report = detectPlatform(c.clues);
      expect(report).toMatchObject(c.expected);
      expect(report.userAgent).toBe(c.clues.userAgent);
      expect(report.maxTouchPoints).toBe(c.clues.maxTouchPoints);
    });
  }
});

describe('the device fixtures agree with detectPlatform', () => {
  for (const name of DEVICES) {
    it(`names ${name} from its own user agent and touch points`, () => {
      const { platform } = device(name);
      const detected = detectPlatform({
        userAgent: platform.userAgent,
        maxTouchPoints: platform.maxTouchPoints,
      });
      // Chromium vs Chrome needs client hints, which fixtures do not keep.
      const browser = detected.browser === 'chrome' ? ['chrome', 'chromium'] : [detected.browser];
      expect(browser).toContain(platform.browser);
      expect(detected.os).toBe(platform.os);
      expect(detected.engine).toBe(platform.engine);
      expect(detected.mobile).toBe(platform.mobile);
    });
  }
});

describe('safariVersion: the Safari release behind WebKit on an Apple OS', () => {
  const CASES_SAFARI: Array<{ name: string; ua: string; touch: number; version: string | null }> = [
    { name: 'Safari 26.0 on a Mac', ua: UA.safariMac, touch: 0, version: '26.0' },
    {
      name: 'Safari 26.2 on an iPad in desktop mode',
      ua: UA.safariMac.replace('Version/26.0', 'Version/26.2'),
      touch: 5,
      version: '26.2',
    },
    { name: 'Safari 18.6 on an iPhone', ua: UA.iphone, touch: 5, version: '18.6' },
    {
      name: 'a Safari with a three-part version',
      ua: UA.iphone.replace('Version/18.6', 'Version/26.2.1'),
      touch: 5,
      version: '26.2',
    },
    {
      name: 'Chrome on an iPad: no Version token',
      ua: UA.chromeIpadDesktop,
      touch: 5,
      version: null,
    },
    {
      name: 'Firefox on an iPhone: no Version token',
      ua: UA.firefoxIphone,
      touch: 5,
      version: null,
    },
    { name: 'Chrome on a Mac: Blink', ua: UA.chromeMac, touch: 0, version: null },
    { name: 'WebKitGTK on Linux: not a Safari release', ua: UA.webkitGtk, touch: 0, version: null },
  ];
  for (const c of CASES_SAFARI) {
    it(`${c.name} → ${c.version ?? 'none'}`, () => {
      const v = safariVersion(detectPlatform({ userAgent: c.ua, maxTouchPoints: c.touch }));
      expect(v && `${v.major}.${v.minor}`).toBe(c.version);
    });
  }
});
