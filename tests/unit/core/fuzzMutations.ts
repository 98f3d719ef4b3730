// Seeded mutations of JSON documents for the manifest and catalog fuzz tests:
// generic edits anywhere in the tree (drop, add, retype, grow, nest) plus the
// hostile paths and near-duplicate names that once got through.

import { expect } from 'vitest';
import { AppError, type ErrorCode } from '../../../src/core/errors';
import { mulberry32 } from '../../../tools/mulberry32';

// biome-ignore lint/suspicious/noExplicitAny: the fuzzer edits documents of any shape.
export type Json = any;

/** The run's seed: fixed by default, `FUZZ_SEED=<n>` to explore others. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_260_914);

export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Paths that escape the folder or the origin at the URL level, or are not one file name. */
export const HOSTILE_PATHS = [
  '%2e%2e/%2e%2e/x.bin',
  '%2E%2E/x.bin',
  '.%2e/x.bin',
  'a/%2e/b.bin',
  'a%2f..%2fb.bin',
  '%2fetc/passwd',
  ' x.bin',
  'x.bin ',
  'a /x.bin',
  '%20x.bin',
  'x.bin%09',
  'https:evil.example/x.bin',
  'http:evil.example/x.bin',
  'HTTPS:evil.example/x.bin',
  'file:x.bin',
  'javascript:alert(1)',
  '//evil.example/x.bin',
  '\\\\evil.example\\x.bin',
  '/etc/passwd',
  '../x.bin',
  'a/../../x.bin',
  'a\\..\\x.bin',
  'C:\\x.bin',
  'x.bin#frag',
  'x.bin?q=1',
  'x%23.bin',
  'x%3F.bin',
  'x%00.bin',
  'x\u0000.bin',
  'x\u0085.bin',
  'x\u202e.bin',
  'x\u3000',
  '\u00a0x.bin',
  '%E3%80%80x.bin',
  'cafe\u0301.bin',
  'cafe%CC%81.bin',
  '%c0%ae%c0%ae/x.bin',
  '%',
  '%zz',
  '.',
  '..',
  '',
  'a//b.bin',
  'a/',
  `${'a/'.repeat(17)}x`,
  'x'.repeat(256),
  `${'ab/'.repeat(200)}x`,
];

/** Odd values of every JSON type, and a few that JSON cannot even carry. */
export function oddValue(r: Random): Json {
  const pool: Array<() => Json> = [
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => -0,
    () => 0.5,
    () => 2 ** 53,
    () => 2 ** 31,
    () => 1e308,
    () => -1e308,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => '',
    () => 'NaN',
    () => '1e3',
    () => '0x10',
    () => ' 1',
    () => [],
    () => {},
    () => [1, 'a', null],
    () => ({ a: 1 }),
    () => longString(r),
    () => deepNest(r),
    () => unicodeVariant(r, 'model'),
  ];
  return r.pick(pool)();
}

export function longString(r: Random): string {
  return r
    .pick(['a', '\u00e9', '/', '%2e', '\u{1f600}'])
    .repeat(r.pick([257, 513, 10_001, 1 << 20]));
}

/** Objects (or arrays) nested up to 100,000 deep, built without recursion. */
export function deepNest(r: Random): Json {
  const depth = r.pick([64, 1_000, 100_000]);
  const asArray = r.chance(0.3);
  const root: Json = asArray ? [] : {};
  let at = root;
  for (let i = 0; i < depth; i++) {
    const child: Json = asArray ? [] : {};
    if (asArray) at.push(child);
    else at.x = child;
    at = child;
  }
  return root;
}

/** `text` changed in a way a person would not see: case, normal form, escapes, look-alikes. */
export function unicodeVariant(r: Random, text: string): string {
  const variants: Array<(s: string) => string> = [
    (s) => s.toUpperCase(),
    (s) => s.replace(/^./, (c) => c.toUpperCase()),
    (s) => s.normalize('NFD'),
    (s) => `${s}\u0301`,
    (s) => s.replace(/e/g, 'e\u0301'),
    (s) => s.replace(/\./g, '%2E'),
    (s) => s.replace(/\./g, '%2e'),
    (s) => s.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
    (s) => s.replace(/a/g, '\u0430'), // Cyrillic a
    (s) => s.replace(/\./g, '\uff0e'), // fullwidth full stop
    (s) => `${s}\u200b`, // zero-width space
    (s) => `\ufeff${s}`,
    (s) => s.replace(/\//g, '\u2215'), // division slash
  ];
  return r.pick(variants)(text);
}

interface Slot {
  parent: Json;
  key: string | number;
}

/**
 * Every (container, key) in the tree down to depth 8, root excluded: real
 * documents are 5 deep, and walking a 100,000-deep value on every edit only
 * slows the fuzzer.
 */
export function slots(doc: Json): Slot[] {
  const out: Slot[] = [];
  const stack: Array<[Json, number]> = [[doc, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Json, number];
    if (node === null || typeof node !== 'object' || depth >= 8) continue;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      out.push({ parent: node, key });
      stack.push([node[key], depth + 1]);
    }
  }
  return out;
}

/** Objects (not arrays) in the tree, root included. */
function objects(doc: Json): Json[] {
  return [doc, ...slots(doc).map((s) => s.parent[s.key])].filter(
    (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  );
}

/** One generic structural edit anywhere in `doc`; returns what it did. */
export function structuralEdit(r: Random, doc: Json): string {
  const all = slots(doc);
  const slot = r.pick(all);
  const op = r.int(6);
  if (op === 0 && !Array.isArray(slot.parent)) {
    delete slot.parent[slot.key];
    return `drop ${slot.key}`;
  }
  if (op === 1) {
    const target = r.pick(objects(doc));
    const key = r.pick(['extra', '__proto__', 'constructor', 'Path', 'size ', 'x'.repeat(100)]);
    const value = oddValue(r);
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return `add key ${JSON.stringify(key.slice(0, 12))}`;
  }
  if (op === 2) {
    slot.parent[slot.key] = oddValue(r);
    return `retype ${slot.key}`;
  }
  const arrays = all.map((s) => s.parent[s.key]).filter(Array.isArray);
  if (op === 3 && arrays.length > 0) {
    const array = r.pick(arrays);
    // The same element again (by reference: a deep one cannot be cloned).
    if (array.length > 0) array.push(r.pick(array));
    return 'duplicate an element';
  }
  if (op === 4 && arrays.length > 0) {
    const array = r.pick(arrays);
    array.splice(r.int(array.length + 1), 1);
    return 'remove an element';
  }
  slot.parent[slot.key] = r.chance(0.5) ? deepNest(r) : longString(r);
  return `grow ${slot.key}`;
}

/** A number edit on a random numeric leaf. */
export function numberEdit(r: Random, doc: Json): string {
  const numeric = slots(doc).filter((s) => typeof s.parent[s.key] === 'number');
  const slot = r.pick(numeric);
  const value = slot.parent[slot.key] as number;
  const edits: Array<() => Json> = [
    () => value + 1,
    () => value - 1,
    () => -value - 1,
    () => value * 2 ** 20,
    () => 2 ** 30,
    () => 2 ** 53,
    () => Number.MAX_SAFE_INTEGER,
    () => value + 0.5,
    () => Number.NaN,
    () => String(value),
    () => 1e21,
  ];
  slot.parent[slot.key] = r.pick(edits)();
  return `number ${slot.key}`;
}

/** Unicode and length edits on a random string leaf. */
export function stringEdit(r: Random, doc: Json): string {
  const strings = slots(doc).filter((s) => typeof s.parent[s.key] === 'string');
  const slot = r.pick(strings);
  const value = slot.parent[slot.key] as string;
  slot.parent[slot.key] = r.chance(0.7) ? unicodeVariant(r, value) : value + longString(r);
  return `string ${slot.key}`;
}

/**
 * A guard against hangs and blow-ups (walking a 100,000-deep value, quadratic
 * work on a long string), not a speed target: one document takes milliseconds.
 */
function expectQuick(started: number, what: string): void {
  expect(performance.now() - started, `${what}: took too long`).toBeLessThan(2_000);
}

export interface FuzzFamily<T> {
  /** The family's own PRNG seed. */
  seed: number;
  count: number;
  valid(r: Random): Json;
  mutate(r: Random, doc: Json): string;
  parse(doc: Json, r: Random): T;
  /** The typed error every refusal must be. */
  code: ErrorCode;
  /** The invariants every accepted document must keep. */
  assertSafe(result: T, what: string): void;
}

/**
 * Mutates `count` valid documents (1–3 edits each) and parses them: a refusal
 * must be the typed error with short readable problems, an acceptance must
 * keep the invariants, and neither may take long. Returns how many passed.
 */
export function runFuzzFamily<T>(family: FuzzFamily<T>): number {
  const r = new Random(family.seed);
  let accepted = 0;
  for (let i = 0; i < family.count; i++) {
    const doc = family.valid(r);
    const edits: string[] = [];
    for (let n = 1 + r.int(3); n > 0; n--) edits.push(family.mutate(r, doc));
    const what = `FUZZ_SEED=${FUZZ_SEED} seed ${family.seed} #${i}: ${edits.join(', ')}`;
    let result: T;
    const started = performance.now();
    try {
      result = family.parse(doc, r);
    } catch (error) {
      expectQuick(started, what);
      expect(AppError.is(error, family.code), `${what}: threw ${String(error)}`).toBe(true);
      const problems = (error as AppError).details.problems as unknown[];
      expect(problems.length, what).toBeGreaterThan(0);
      expect(
        problems.every((p) => typeof p === 'string' && p.length < 400),
        what,
      ).toBe(true);
      continue;
    }
    expectQuick(started, what);
    accepted++;
    family.assertSafe(result, what);
  }
  return accepted;
}
