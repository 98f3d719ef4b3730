// Keeps the composer above an on-screen keyboard: the part of the layout
// viewport a keyboard covers goes into the CSS variable --keyboard-inset,
// which the chat's height leaves out (src/core/keyboardInset.ts decides it).

import { keyboardInset } from '../core/keyboardInset';

interface VirtualKeyboard extends EventTarget {
  overlaysContent: boolean;
  readonly boundingRect: DOMRect;
}

/** Starts tracking; returns a function that stops it. */
export function trackKeyboard(root: HTMLElement = document.documentElement): () => void {
  const viewport = window.visualViewport;
  const keyboard = (navigator as Navigator & { virtualKeyboard?: VirtualKeyboard }).virtualKeyboard;
  // Where the VirtualKeyboard API exists (Chromium), the keyboard overlays the
  // page and reports its rect: one layout change instead of a resize per frame
  // of its animation. Elsewhere (Safari) the visual viewport tells.
  if (keyboard) keyboard.overlaysContent = true;
  let shown = -1;
  const update = () => {
    const rect = keyboard?.boundingRect;
    const inset = keyboardInset({
      layoutHeight: window.innerHeight,
      visualTop: viewport?.offsetTop ?? 0,
      visualHeight: viewport?.height ?? window.innerHeight,
      visualScale: viewport?.scale ?? 1,
      keyboard: rect ? { top: rect.top, height: rect.height } : null,
    });
    if (inset === shown) return;
    shown = inset;
    root.style.setProperty('--keyboard-inset', `${inset}px`);
    root.toggleAttribute('data-keyboard', inset > 0);
  };
  const stop = new AbortController();
  const options = { signal: stop.signal, passive: true };
  viewport?.addEventListener('resize', update, options);
  viewport?.addEventListener('scroll', update, options);
  window.addEventListener('resize', update, options);
  keyboard?.addEventListener('geometrychange', update, options);
  update();
  return () => stop.abort();
}
