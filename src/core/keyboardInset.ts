// How much of the layout viewport's bottom an on-screen keyboard covers, from
// what the browser reports: iPad Safari shrinks only the visual viewport;
// Chromium's VirtualKeyboard API (overlaysContent) gives the keyboard's rect.

export interface ViewportGeometry {
  /** The layout viewport's height (`window.innerHeight`), CSS px. */
  layoutHeight: number;
  /** `visualViewport.offsetTop`, `.height` and `.scale`. */
  visualTop: number;
  visualHeight: number;
  visualScale: number;
  /** `navigator.virtualKeyboard.boundingRect` where that API exists (zero-sized when closed). */
  keyboard?: { top: number; height: number } | null;
}

/**
 * Pixels to keep clear at the bottom of the layout viewport. A pinch zoom
 * also shrinks the visual viewport but is no keyboard: the layout stays as it
 * is then (scale above 1), or the page would reflow while the user zooms.
 */
export function keyboardInset(g: ViewportGeometry): number {
  if (g.keyboard && g.keyboard.height > 0) {
    return clampInset(g.layoutHeight - g.keyboard.top, g.layoutHeight);
  }
  if (g.visualScale > 1.01) return 0;
  return clampInset(g.layoutHeight - (g.visualTop + g.visualHeight), g.layoutHeight);
}

function clampInset(px: number, layoutHeight: number): number {
  if (!Number.isFinite(px) || px <= 0) return 0;
  return Math.round(Math.min(px, layoutHeight));
}
