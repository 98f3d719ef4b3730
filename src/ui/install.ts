// Installing the app: an Install button when the browser offers its prompt
// (`beforeinstallprompt`), and on iPhone and iPad Safari, which has no such
// prompt, a one-time hint to use Share → Add to Home Screen.

import { signal } from '@preact/signals';

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const HINT_KEY = 'runanywhere.iosInstallHintShown';
let deferred: InstallPromptEvent | null = null;

/** The browser offers to install the app now. */
export const canInstall = signal(false);
/** Show the iOS "Add to Home Screen" hint (once, then never again). */
export const showIosHint = signal(false);

/** iPhone, or an iPad (which reports itself as a Mac with touch), in Safari, not yet installed. */
export function isIosSafariBrowser(
  nav: Pick<Navigator, 'userAgent' | 'maxTouchPoints'>,
  standalone: boolean,
): boolean {
  const ios = /iPhone|iPad|iPod/.test(nav.userAgent);
  const iPadOs = /Macintosh/.test(nav.userAgent) && nav.maxTouchPoints > 1;
  // Other browsers on iOS name themselves (CriOS, FxiOS, EdgiOS) and cannot add to the home screen.
  const safari = /Safari/.test(nav.userAgent) && !/CriOS|FxiOS|EdgiOS/.test(nav.userAgent);
  return (ios || iPadOs) && safari && !standalone;
}

export function watchInstall(): void {
  addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    deferred = event as InstallPromptEvent;
    canInstall.value = true;
  });
  addEventListener('appinstalled', () => {
    deferred = null;
    canInstall.value = false;
  });
  const standalone =
    matchMedia('(display-mode: standalone)').matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true;
  let shown = true;
  try {
    shown = localStorage.getItem(HINT_KEY) === '1';
  } catch {
    // No storage: better no hint than one on every visit.
  }
  showIosHint.value = !shown && isIosSafariBrowser(navigator, standalone);
}

export async function install(): Promise<void> {
  const event = deferred;
  if (!event) return;
  deferred = null;
  canInstall.value = false;
  await event.prompt();
  await event.userChoice.catch(() => null);
}

export function dismissIosHint(): void {
  showIosHint.value = false;
  try {
    localStorage.setItem(HINT_KEY, '1');
  } catch {
    // The hint goes away for this visit at least.
  }
}
