// The fault suite's scenarios as data: from a base seed and an index, which
// faults the server draws, the engine options, and which interruption (a
// killed worker, a reload, a quota cut, a second tab) hits the download.

import type { EngineOptions } from '../../src/download/engineOptions';
import type { StoreKind } from '../../src/storage/db';
import { mulberry32 } from '../../tools/mulberry32';
import type { Fault, SeededFaultOptions } from '../../tools/serve/faults';

/** The default base seed: fixed, so every run of `npm test` meets the same scenarios. */
export const DEFAULT_FAULT_SEED = 20_261_129;

export const SERVER_FAULT_KINDS: Fault['kind'][] = [
  'drop',
  'stall',
  'status',
  'ignore-range',
  'wrong-content-range',
  'truncate',
  'flip-byte',
  'change-file',
];

/** What the page does to a running download, besides the server's faults. */
export type Interruption = 'kill' | 'reload' | 'quota' | 'two-tab';
export const INTERRUPTIONS: Interruption[] = ['kill', 'reload', 'quota', 'two-tab'];

/**
 * 'classic' is the model and mix the suite used before interruptions existed
 * (64 KiB chunks): regressions found then replay on it exactly. 'small' is the
 * default, 16 KiB chunks and a quarter of the bytes, so 200 scenarios stay cheap.
 */
export type ScenarioModel = 'classic' | 'small';

export interface Scenario {
  base: number;
  index: number;
  /** The seed of the server's fault plan (base + index). */
  seed: number;
  model: ScenarioModel;
  kinds: Fault['kind'][];
  plan: SeededFaultOptions;
  options: EngineOptions & { backend: StoreKind };
  interruption: Interruption | null;
  /** The interruption fires when the server sees this many GETs of model files. */
  interruptAtRequest: number;
}

export interface Regression {
  base: number;
  index: number;
  why: string;
  model: ScenarioModel;
}

const BACKENDS: StoreKind[] = ['opfs-sync', 'opfs-sync', 'opfs-writable', 'idb'];

/**
 * The draws are made in the order the first suite made them (kinds, probability,
 * fault cap, connections, verification, chunk size, retries), so a 'classic'
 * scenario is the very one an old seed named; the interruption comes from a
 * PRNG of its own.
 */
export function scenario(base: number, index: number, model: ScenarioModel = 'small'): Scenario {
  const seed = base + index;
  const random = mulberry32(seed);
  const drawn = SERVER_FAULT_KINDS.filter(() => random() < 0.6);
  const kinds = drawn.length > 0 ? drawn : SERVER_FAULT_KINDS;
  const probability = 0.05 + random() * 0.3;
  const maxFaults = 1 + Math.floor(random() * 10);
  const connections = 1 + Math.floor(random() * 4);
  const verification = random() < 0.2 ? ('whole-file' as const) : ('chunks' as const);
  const chunkDraw = random();
  const chunkSize =
    model === 'classic'
      ? 40_000 + Math.floor(chunkDraw * 60_000)
      : 10_000 + Math.floor(chunkDraw * 15_000);
  const maxRetries = 1 + Math.floor(random() * 5);
  const extra = mulberry32((seed ^ 0x5bd1e995) >>> 0);
  const pick = extra();
  const interruption =
    model === 'classic' || pick >= 0.28
      ? null
      : (INTERRUPTIONS[Math.floor((pick / 0.28) * INTERRUPTIONS.length)] ?? null);
  return {
    base,
    index,
    seed,
    model,
    kinds,
    plan: { probability, kinds, maxFaults, stallMs: 2_000 },
    options: {
      connections,
      stallTimeoutMs: 250,
      progressIntervalMs: 100,
      verification,
      chunkSize,
      backend: BACKENDS[seed % BACKENDS.length] as StoreKind,
      retry: { maxRetries, baseDelayMs: 2, maxDelayMs: 20, maxRetryAfterMs: 30 },
    },
    interruption,
    interruptAtRequest: 1 + Math.floor(extra() * 6),
  };
}

/** How a scenario is named in the report: enough to replay it. */
export function scenarioTitle(s: Scenario): string {
  const what = [
    s.kinds.join('+'),
    `on ${s.options.backend}`,
    s.options.verification === 'whole-file' ? 'whole-file' : 'chunk hashes',
    ...(s.interruption ? [`then ${s.interruption}`] : []),
    ...(s.model === 'classic' ? ['(classic model)'] : []),
  ];
  return `fault scenario ${s.index} (FAULT_SEED=${s.base} idx ${s.index}): ${what.join(' ')}`;
}
