// Turns the download benchmark's runs into a readable table and, as the very
// last line of output, one JSON object with the figures, targets and verdicts.

import type { SweepRow } from './downloadSweep';
import { medianOrNull } from './median';

export interface Measured {
  mibps: number;
  /** Peak summed RSS of the browser's processes above its idle level just before the run. */
  peakMiB: number;
  ms: number;
  /** CPU seconds per GiB moved, by process: Chromium's by type, and `server` (the model server). */
  cpuPerGiB: Record<string, number>;
}
export type Series = Array<Measured | { error: string }>;

export interface DownloadReportInput {
  sizeMiB: number;
  largeSizeMiB: number;
  runs: number;
  /** The shared link rate the server imitated, or null for plain loopback. */
  linkMiBps: number | null;
  /** HTTP connections each side used: the ratio means nothing without them. */
  connections: { baseline: number; ours: number };
  series: Record<string, Series>;
  sweep: SweepRow[];
}

const ok = (s: Series | undefined): Measured[] =>
  (s ?? []).filter((m): m is Measured => 'mibps' in m);

const round = (n: number | null, digits = 1) => (n === null ? null : Number(n.toFixed(digits)));
const cell = (n: number | null, width: number) =>
  (n === null ? 'failed' : n.toFixed(0)).padStart(width);

export function printReport(input: DownloadReportInput): void {
  const row = (name: string) => {
    const runs = ok(input.series[name]);
    return {
      key: name,
      mibps: medianOrNull(runs.map((m) => m.mibps)),
      peak: medianOrNull(runs.map((m) => m.peakMiB)),
      all: runs.map((m) => `${m.mibps.toFixed(0)}/${m.peakMiB.toFixed(0)}`).join(' '),
      errors: (input.series[name] ?? []).length - runs.length,
    };
  };
  const baseline = row('baseline');
  const ours = row('ours');
  const whole = row('wholeFile');
  const large = row('large');

  const lines: Array<[string, ReturnType<typeof row>]> = [
    [`baseline: fetch and discard, ${input.sizeMiB} MiB`, baseline],
    [`ours: chunk hashes, ${input.sizeMiB} MiB`, ours],
    [`ours: whole-file hash, ${input.sizeMiB} MiB`, whole],
    [`ours: chunk hashes, ${input.largeSizeMiB} MiB`, large],
  ];
  console.log('');
  console.log(
    `${'run'.padEnd(38)} ${'MiB/s'.padStart(7)} ${'peak MiB'.padStart(9)}  runs (MiB/s / peak MiB)`,
  );
  for (const [name, r] of lines) {
    const failed = r.errors ? `  (${r.errors} failed)` : '';
    console.log(`${name.padEnd(38)} ${cell(r.mibps, 7)} ${cell(r.peak, 9)}  ${r.all}${failed}`);
  }
  console.log('\nCPU seconds per GiB (median), by process: where the work is, whatever the load');
  for (const [name, r] of lines) {
    const runs = ok(input.series[r.key]);
    const types = [...new Set(runs.flatMap((m) => Object.keys(m.cpuPerGiB)))].sort();
    const parts = types.map(
      (t) => `${t} ${medianOrNull(runs.map((m) => m.cpuPerGiB[t] ?? 0))?.toFixed(2)}`,
    );
    console.log(`  ${name.padEnd(38)} ${parts.join(', ')}`);
  }
  if (input.sweep.length > 0) {
    console.log("\nsweep (median over rounds; ratio to the sweep's own baselines):");
    for (const r of input.sweep) {
      const ratio = r.ratio === null ? '   n/a' : r.ratio.toFixed(2).padStart(6);
      const cpu = `CPU s/GiB renderer ${r.rendererCpuPerGiB?.toFixed(2)}, all ${r.totalCpuPerGiB?.toFixed(2)}`;
      console.log(
        `  ${r.label.padEnd(40)} ${cell(r.mibps, 5)} MiB/s ${ratio}× peak +${cell(r.peakMiB, 0)} MiB  ${cpu}`,
      );
    }
  }

  const ratio = baseline.mibps && ours.mibps !== null ? ours.mibps / baseline.mibps : null;
  const targets = {
    ratio: 0.9,
    peakMemMiB: baseline.peak === null ? null : round(baseline.peak + 64),
    peakMemMiBLarge: ours.peak === null ? null : round(ours.peak * 1.1),
  };
  const met = {
    ratio: ratio !== null && ratio >= targets.ratio,
    peakMemMiB:
      ours.peak !== null && targets.peakMemMiB !== null && ours.peak <= targets.peakMemMiB,
    peakMemMiBLarge:
      large.peak !== null &&
      targets.peakMemMiBLarge !== null &&
      large.peak <= targets.peakMemMiBLarge,
  };
  const link = input.linkMiBps === null ? 'loopback' : `a ${input.linkMiBps} MiB/s link`;
  console.log(
    `\nover ${link}: ours ${cell(ours.mibps, 0)} MiB/s on ${input.connections.ours} connections ÷ ` +
      `baseline ${cell(baseline.mibps, 0)} MiB/s on ${input.connections.baseline} connection(s)`,
  );
  console.log(
    `ratio ${ratio === null ? 'n/a' : ratio.toFixed(3)} (target ≥ ${targets.ratio}); ` +
      `peak ${cell(ours.peak, 0)} MiB (target ≤ ${targets.peakMemMiB}); ` +
      `${input.largeSizeMiB} MiB peak ${cell(large.peak, 0)} MiB (target ≤ ${targets.peakMemMiBLarge})`,
  );
  console.log(
    JSON.stringify({
      bench: 'download',
      unit: 'MiB/s',
      sizeMiB: input.sizeMiB,
      largeSizeMiB: input.largeSizeMiB,
      runs: input.runs,
      linkMiBps: input.linkMiBps,
      baselineConnections: input.connections.baseline,
      oursConnections: input.connections.ours,
      baselineMBps: round(baseline.mibps),
      oursMBps: round(ours.mibps),
      ratio: round(ratio, 3),
      peakMemMiB: round(ours.peak),
      baselinePeakMemMiB: round(baseline.peak),
      peakMemMiBLarge: round(large.peak),
      oursLargeMBps: round(large.mibps),
      oursWholeFileMBps: round(whole.mibps),
      wholeFilePeakMemMiB: round(whole.peak),
      cpuSecondsPerGiB: Object.fromEntries(
        (['baseline', 'ours', 'wholeFile', 'large'] as const).map((k) => {
          const runs = ok(input.series[k]);
          const types = [...new Set(runs.flatMap((m) => Object.keys(m.cpuPerGiB)))];
          return [
            k,
            Object.fromEntries(
              types.map((t) => [t, round(medianOrNull(runs.map((m) => m.cpuPerGiB[t] ?? 0)), 2)]),
            ),
          ];
        }),
      ),
      targets,
      met,
      failedRuns: Object.fromEntries(
        Object.entries(input.series).map(([k, s]) => [k, s.filter((m) => 'error' in m).length]),
      ),
      sweep: input.sweep.map((r) => ({
        label: r.label,
        MBps: round(r.mibps),
        ratio: round(r.ratio, 3),
        peakMemMiB: round(r.peakMiB),
        rendererCpuPerGiB: round(r.rendererCpuPerGiB, 2),
        totalCpuPerGiB: round(r.totalCpuPerGiB, 2),
      })),
    }),
  );
}
