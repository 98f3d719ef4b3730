// The iOS "Add to Home Screen" hint shows on iPhone and iPad Safari only, and
// not once the app runs installed.

import { describe, expect, it } from 'vitest';
import { isIosSafariBrowser } from '../../../src/ui/install';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const IPAD_DESKTOP_MODE =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';
const IPHONE_CHROME =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/130.0 Mobile/15E148 Safari/604.1';
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36';

describe('isIosSafariBrowser', () => {
  it.each<[string, string, number, boolean, boolean]>([
    ['iPhone Safari', IPHONE, 5, false, true],
    ['iPhone Safari, already installed', IPHONE, 5, true, false],
    ['iPad Safari (reports a Mac with touch)', IPAD_DESKTOP_MODE, 5, false, true],
    ['a real Mac (no touch)', IPAD_DESKTOP_MODE, 0, false, false],
    ['Chrome on iPhone', IPHONE_CHROME, 5, false, false],
    ['Chrome on Android', ANDROID_CHROME, 5, false, false],
  ])('%s → %s', (_name, userAgent, maxTouchPoints, standalone, expected) => {
    expect(isIosSafariBrowser({ userAgent, maxTouchPoints }, standalone)).toBe(expected);
  });
});
