// Semantic versions (major.minor.patch with optional pre-release), parsed and
// compared per semver.org; build metadata is ignored for precedence.

export interface Semver {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

// Numeric pre-release identifiers may not have leading zeros (semver.org item 9);
// build metadata identifiers may.
const PRE = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const PATTERN = new RegExp(
  `^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-(${PRE}(?:\\.${PRE})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

export function parseSemver(text: string): Semver | null {
  const m = PATTERN.exec(text);
  if (!m) return null;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Past 2^53 numbers round, and two different versions would compare equal.
  if (![major, minor, patch].every(Number.isSafeInteger)) return null;
  return { major, minor, patch, prerelease: m[4] ? m[4].split('.') : [] };
}

export function isSemver(text: string): boolean {
  return parseSemver(text) !== null;
}

/** Negative when a < b, positive when a > b, 0 when equal in precedence. */
export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) throw new TypeError(`not a semantic version: ${!x ? a : b}`);
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (x[key] !== y[key]) return x[key] - y[key];
  }
  // A version without pre-release ranks above one with it.
  if (x.prerelease.length === 0 || y.prerelease.length === 0) {
    return y.prerelease.length - x.prerelease.length;
  }
  const n = Math.max(x.prerelease.length, y.prerelease.length);
  for (let i = 0; i < n; i++) {
    const p = x.prerelease[i];
    const q = y.prerelease[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    // Compare digit strings by length first: Number() would round identifiers past 2^53.
    if (pn && qn) return p.length !== q.length ? p.length - q.length : p < q ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
