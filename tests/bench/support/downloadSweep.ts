// The benchmark's optional sweep (BENCH_SWEEP=1): the engine under other
// options, and stripped-down prototypes that add one stage at a time (ranges,
// chunk hashing, flushing), each round next to its own baseline, to show where
// the engine's time goes.

import type { EngineOptions } from '../../../src/download/engineOptions';
import type { PrototypeOptions, RunResult } from '../../browser/pages/bench-download.types';
import type { BenchPackage } from './benchModel';
import { MIB } from './benchModel';
import type { Measured } from './downloadReport';
import { medianOrNull } from './median';

export interface SweepDriver {
  /** A timed, memory-sampled run; `call` is made fresh for it. */
  measure(label: string, call: () => Promise<RunResult>): Promise<Measured | { error: string }>;
  baseline(): Promise<RunResult>;
  /** The engine, in the bench worker, on a fresh version of `pkg`. */
  engine(pkg: BenchPackage, options: EngineOptions): Promise<() => Promise<RunResult>>;
  prototype(options: PrototypeOptions): Promise<RunResult>;
}

export interface SweepRow {
  label: string;
  mibps: number | null;
  /** Against the median of the baselines run in the same rounds. */
  ratio: number | null;
  peakMiB: number | null;
  /** CPU seconds per GiB: the renderer (page and workers), and every process together. */
  rendererCpuPerGiB: number | null;
  totalCpuPerGiB: number | null;
}

export async function runSweep(
  driver: SweepDriver,
  packages: { c8: BenchPackage; c4: BenchPackage; c16: BenchPackage },
  rounds: number,
): Promise<SweepRow[]> {
  const plain = { single: false, chunkSize: 8 * MIB, connections: 4, hash: false, flush: false };
  const variants: Array<[string, () => Promise<() => Promise<RunResult>>]> = [
    ...[1, 2, 4, 8].map((n): [string, () => Promise<() => Promise<RunResult>>] => [
      `engine: 8 MiB chunks × ${n}`,
      () => driver.engine(packages.c8, { connections: n }),
    ]),
    ['engine: 4 MiB chunks × 4', () => driver.engine(packages.c4, { connections: 4 })],
    ['engine: 16 MiB chunks × 4', () => driver.engine(packages.c16, { connections: 4 })],
    ...(
      [
        ['proto: one GET → OPFS', { ...plain, single: true }],
        ['proto: ranges 8 MiB × 1 → OPFS', { ...plain, connections: 1 }],
        ['proto: ranges 8 MiB × 4 → OPFS', plain],
        ['proto: ranges 32 MiB × 4 → OPFS', { ...plain, chunkSize: 32 * MIB }],
        ['proto: 8 MiB × 4 + flush/chunk', { ...plain, flush: true }],
        ['proto: 8 MiB × 4 + copy+WebCrypto', { ...plain, hash: true }],
        ['proto: 8 MiB × 4 + copy+WebCrypto+flush', { ...plain, hash: true, flush: true }],
        ['proto: BYOB 8 MiB × 4 → OPFS', { ...plain, byob: true }],
        ['proto: BYOB 64 MiB × 4 → OPFS', { ...plain, byob: true, chunkSize: 64 * MIB }],
        [
          'proto: BYOB 64 MiB × 4 + WebCrypto/8 MiB',
          { ...plain, byob: true, chunkSize: 64 * MIB, hash: true },
        ],
      ] as const
    ).map(([label, options]): [string, () => Promise<() => Promise<RunResult>>] => [
      label,
      async () => () => driver.prototype(options),
    ]),
  ];
  const baselines: Measured[] = [];
  const results = new Map<string, Measured[]>();
  for (let round = 0; round < rounds; round++) {
    const b = await driver.measure(`sweep baseline #${round + 1}`, () => driver.baseline());
    if ('mibps' in b) baselines.push(b);
    for (const [label, make] of variants) {
      const m = await driver.measure(`${label} #${round + 1}`, await make());
      if ('mibps' in m) results.set(label, [...(results.get(label) ?? []), m]);
    }
  }
  const base = medianOrNull(baselines.map((m) => m.mibps));
  const baseRow: SweepRow = {
    label: 'baseline: fetch and discard',
    mibps: base,
    ratio: 1,
    peakMiB: medianOrNull(baselines.map((m) => m.peakMiB)),
    rendererCpuPerGiB: medianOrNull(baselines.map((m) => m.cpuPerGiB.renderer ?? 0)),
    totalCpuPerGiB: medianOrNull(baselines.map((m) => sum(Object.values(m.cpuPerGiB)))),
  };
  return [
    baseRow,
    ...variants.map(([label]) => {
      const runs = results.get(label) ?? [];
      const mibps = medianOrNull(runs.map((m) => m.mibps));
      return {
        label,
        mibps,
        ratio: mibps !== null && base ? mibps / base : null,
        peakMiB: medianOrNull(runs.map((m) => m.peakMiB)),
        rendererCpuPerGiB: medianOrNull(runs.map((m) => m.cpuPerGiB.renderer ?? 0)),
        totalCpuPerGiB: medianOrNull(runs.map((m) => sum(Object.values(m.cpuPerGiB)))),
      };
    }),
  ];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
