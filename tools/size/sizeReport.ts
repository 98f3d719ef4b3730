// What `npm run size` measures and the budgets it holds the build to: pure
// parts (which scripts a page needs before first paint, which budgets a
// report breaks), so they have unit tests.

export interface SizeReport {
  /** JavaScript the page needs before first paint, gzip. */
  initialJsGzipKB: number;
  /** What the service worker precaches on a first visit (bytes stored). */
  precacheKB: number;
  /** Bytes each runtime adds when a model first needs it (stored, uncompressed). */
  runtimeKB: Record<string, number>;
  /** The same over the wire, from the build's Brotli copies. */
  runtimeBrotliKB: Record<string, number>;
}

export const BUDGETS = { initialJsGzipKB: 100, precacheKB: 1500 } as const;

/**
 * The scripts `index.html` loads before first paint: module scripts and
 * module preloads (relative to the page, `./` dropped).
 */
export function initialScripts(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) =>
      new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1] ?? null;
    const isScript = /^<script/i.test(tag) && attr('src') !== null;
    const isPreload = /^<link/i.test(tag) && attr('rel')?.toLowerCase() === 'modulepreload';
    const url = isScript ? attr('src') : isPreload ? attr('href') : null;
    if (url && !/^[a-z]+:|^\/\//i.test(url)) found.push(url.replace(/^\.\//, ''));
  }
  return found;
}

/** The budgets a report breaks, one line each; empty when all hold. */
export function brokenBudgets(report: SizeReport): string[] {
  return (Object.keys(BUDGETS) as Array<keyof typeof BUDGETS>)
    .filter((key) => !(report[key] < BUDGETS[key]))
    .map((key) => `${key} ${report[key]} KB is not under its budget of ${BUDGETS[key]} KB`);
}

export const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
