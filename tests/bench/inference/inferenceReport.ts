// Summarises the inference benchmark's samples: medians per dtype, ours ÷ each
// baseline (transformers.js pipeline for generation, onnxruntime-web's own
// InferenceSession.create from bytes in memory for loading), the targets, a
// readable table, and the one-line JSON the runner reads last.

import type { GenerationRun, LoadSample } from '../../browser/pages/bench-inference.types';
import { median } from '../support/median';
import type { BenchDtype } from './benchModels';

export interface DtypeSamples {
  dtype: BenchDtype;
  modelMiB: number;
  installMs: number;
  oursLoadMs: number;
  baselineLoadMs: number;
  ours: GenerationRun[];
  baseline: GenerationRun[];
  loads: LoadSample[];
  /** 1-minute load average while this dtype ran (machine shared with others). */
  loadavg: number[];
  /** BENCH_PROFILE=1: medians per configuration. */
  profile?: Record<string, { ttftMs: number; tokensPerSec: number }>;
}

/** Ours (stored bytes in OPFS → ready) within this factor of the onnxruntime-web baseline. */
export const LOAD_RATIO_TARGET = 1.1;

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

export function summarise(s: DtypeSamples) {
  const med = (runs: GenerationRun[], key: 'ttftMs' | 'tokensPerSec' | 'pageFirstTextMs') =>
    median(runs.map((r) => r[key] ?? Number.NaN));
  const loads = (key: keyof LoadSample) => median(s.loads.map((l) => l[key]));
  const summary = {
    modelMiB: round(s.modelMiB),
    tokens: median(s.ours.map((r) => r.tokens)),
    baselineTokens: median(s.baseline.map((r) => r.tokens)),
    sameText: s.ours.every((r, i) => r.text.trim() === s.baseline[i]?.text.trim()),
    tokensPerSec: round(med(s.ours, 'tokensPerSec'), 2),
    baselineTokensPerSec: round(med(s.baseline, 'tokensPerSec'), 2),
    ttftMs: round(med(s.ours, 'ttftMs')),
    baselineTtftMs: round(med(s.baseline, 'ttftMs')),
    pageFirstTextMs: round(med(s.ours, 'pageFirstTextMs')),
    loadOpfsMs: round(loads('opfs')),
    loadMemoryMs: round(loads('memory')),
    ortLoadMemoryMs: round(loads('ortMemory')),
    ortLoadOpfsFileMs: round(loads('ortOpfsFile')),
    opfsReadMs: round(loads('opfsRead')),
    installMs: round(s.installMs),
    oursFirstLoadMs: round(s.oursLoadMs),
    baselineFirstLoadMs: round(s.baselineLoadMs),
    // Per round (ours and the baseline ran back to back): cancels the machine's drift,
    // which moves both by far more than their difference (docs/benchmarks.md).
    pairedSpeedRatio: round(pairedRatio(s, 'tokensPerSec'), 3),
    pairedTtftRatio: round(pairedRatio(s, 'ttftMs'), 3),
    runs: s.ours.length,
    loadRuns: s.loads.length,
    loadavg1: round(median(s.loadavg), 2),
    ...(s.profile ? { profile: s.profile } : {}),
  };
  const met = {
    tokensPerSec: summary.tokensPerSec >= summary.baselineTokensPerSec,
    ttft: summary.ttftMs <= summary.baselineTtftMs,
    // The load baseline is onnxruntime-web alone, bytes already in memory: no
    // transformers.js hooks or copies, no tokenizer or config.
    loadOpfs: summary.loadOpfsMs <= LOAD_RATIO_TARGET * summary.ortLoadMemoryMs,
  };
  return {
    ...summary,
    // Ours ÷ each baseline, of the medians.
    speedRatio: round(summary.tokensPerSec / summary.baselineTokensPerSec, 3),
    ttftRatio: round(summary.ttftMs / summary.baselineTtftMs, 3),
    loadVsOrtRatio: round(summary.loadOpfsMs / summary.ortLoadMemoryMs, 3),
    // Not a baseline: the same runtime fed from memory, i.e. what OPFS costs.
    loadRatio: round(summary.loadOpfsMs / summary.loadMemoryMs, 3),
    met,
  };
}
export type DtypeSummary = ReturnType<typeof summarise>;

/** Median over rounds of ours ÷ the baseline of the same round. */
export function pairedRatio(s: DtypeSamples, key: 'ttftMs' | 'tokensPerSec'): number {
  return median(
    s.ours.map((run, i) => {
      const base = s.baseline[i]?.[key];
      return base ? run[key] / base : Number.NaN;
    }),
  );
}

const pad = (v: unknown, n: number) => String(v).padStart(n);

/** Prints the tables; the caller prints the JSON line last. */
export function printTables(summaries: Record<string, DtypeSummary>, header: string[]): void {
  console.log(`\n${header.join('\n')}`);
  console.log('\nGeneration (wasm, greedy; medians; decode rate excludes the first token)');
  console.log(
    `${'dtype'.padEnd(6)}${pad('MiB', 6)}${pad('tok', 5)}${pad('ours tok/s', 12)}${pad('base tok/s', 12)}` +
      `${pad('ours TTFT', 11)}${pad('base TTFT', 11)}${pad('page 1st text', 15)}  same text`,
  );
  for (const [dtype, s] of Object.entries(summaries)) {
    console.log(
      `${dtype.padEnd(6)}${pad(s.modelMiB, 6)}${pad(s.tokens, 5)}${pad(s.tokensPerSec, 12)}` +
        `${pad(s.baselineTokensPerSec, 12)}${pad(`${s.ttftMs} ms`, 11)}${pad(`${s.baselineTtftMs} ms`, 11)}` +
        `${pad(`${s.pageFirstTextMs} ms`, 15)}  ${s.sameText ? 'yes' : 'NO'}`,
    );
  }
  console.log('\nOurs ÷ the transformers.js pipeline baseline');
  for (const [dtype, s] of Object.entries(summaries)) {
    console.log(
      `${dtype.padEnd(6)}medians: tok/s ${s.speedRatio}x, TTFT ${s.ttftRatio}x; ` +
        `per round (median over ${s.runs}): tok/s ${s.pairedSpeedRatio}x, TTFT ${s.pairedTtftRatio}x`,
    );
  }
  console.log(
    '\nStored bytes -> ready session (medians, ms). Baseline: onnxruntime-web InferenceSession.create from bytes in memory',
  );
  console.log(
    `${'dtype'.padEnd(6)}${pad('ours (OPFS)', 13)}${pad('ort baseline', 14)}${pad('ours÷base', 11)}` +
      `${pad('ours, bytes in memory', 23)}${pad('ours÷that', 11)}${pad('ort: OPFS File', 16)}${pad('OPFS read', 11)}`,
  );
  for (const [dtype, s] of Object.entries(summaries)) {
    console.log(
      `${dtype.padEnd(6)}${pad(s.loadOpfsMs, 13)}${pad(s.ortLoadMemoryMs, 14)}${pad(`${s.loadVsOrtRatio}x`, 11)}` +
        `${pad(s.loadMemoryMs, 23)}${pad(`${s.loadRatio}x`, 11)}${pad(s.ortLoadOpfsFileMs, 16)}${pad(s.opfsReadMs, 11)}`,
    );
  }
  for (const [dtype, s] of Object.entries(summaries)) {
    if (!s.profile) continue;
    console.log(`\nProfile ${dtype} (medians): configuration, TTFT ms, tok/s`);
    for (const [name, p] of Object.entries(s.profile)) {
      console.log(`  ${name.padEnd(18)}${pad(p.ttftMs, 9)}${pad(p.tokensPerSec, 9)}`);
    }
  }
  console.log(
    '\nTargets: ours tok/s >= pipeline, ours TTFT <= pipeline, ours load (OPFS) <= 1.1x onnxruntime-web from memory',
  );
  for (const [dtype, s] of Object.entries(summaries)) {
    const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      `${dtype.padEnd(6)}tok/s ${mark(s.met.tokensPerSec)}, TTFT ${mark(s.met.ttft)}, load ${mark(s.met.loadOpfs)}` +
        `   (first loads: install ${s.installMs} ms, ours ${s.oursFirstLoadMs} ms, baseline ${s.baselineFirstLoadMs} ms; load avg ${s.loadavg1})`,
    );
  }
}
