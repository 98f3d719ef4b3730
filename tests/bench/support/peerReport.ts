// Figures of the peer benchmark (tests/bench/peers.bench.ts): one summary per dtype
// and thread count with ours against the peer, the fraction of the bandwidth ceiling
// each reaches, the targets of issue 12 and whether each is met; and the printed table.

export interface SideFigures {
  tokPerSec: number;
  ttftMs: number;
  longTtftMs: number;
  loadMs: number;
  afterLoadMiB: number;
  peakMiB: number;
}

export interface PeerInput {
  dtype: string;
  modelMiB: number;
  ggufMiB: number;
  shortPromptTokens: number;
  longPromptTokens: number;
  ours: SideFigures;
  peer: SideFigures;
  /** Peak renderer MiB of each runtime with a model of a few KiB: its fixed overhead. */
  oursFixedMiB: number;
  peerFixedMiB: number;
  oursText: string;
  peerText: string;
  /** llama.cpp counted as many prompt tokens as tokenizer.json gives (short and long). */
  promptTokensMatch: boolean;
  oursTokens: number;
  peerTokens: number;
  bandwidthGBps: number;
}

export interface PeerSummary {
  oursTokPerSec: number;
  peerTokPerSec: number;
  oursTtftMs: number;
  peerTtftMs: number;
  oursLongTtftMs: number;
  peerLongTtftMs: number;
  oursPrefillTokPerSec: number;
  peerPrefillTokPerSec: number;
  oursAfterLoadMiB: number;
  peerAfterLoadMiB: number;
  oursPeakMiB: number;
  peerPeakMiB: number;
  oursLoadMs: number;
  peerLoadMs: number;
  oursFixedMiB: number;
  peerFixedMiB: number;
  /** Peak above the fixed overhead, per MiB of the side's model file(s). */
  oursPeakPerFileByte: number;
  peerPeakPerFileByte: number;
  oursAfterLoadPerFileByte: number;
  peerAfterLoadPerFileByte: number;
  modelMiB: number;
  ggufMiB: number;
  shortPromptTokens: number;
  longPromptTokens: number;
  /** Decode rate the read bandwidth allows: every weight byte read once per token. */
  ceilingTokPerSec: number;
  oursFractionOfCeiling: number;
  peerFractionOfCeiling: number;
  /** Same greedy text from both (same pieces: tokenizer.json and the GGUF vocab). */
  sameText: boolean;
  promptTokensMatch: boolean;
  oursTokens: number;
  peerTokens: number;
  /** Characters both texts share from the start. */
  commonPrefixChars: number;
  targets: Record<string, string>;
  met: Record<string, boolean>;
}

const r = (n: number, digits = 1) => Number(n.toFixed(digits));

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Summary of one dtype, with the targets. */
export function comparePeers(input: PeerInput): PeerSummary {
  const { ours, peer } = input;
  const ceiling = (input.bandwidthGBps * 1e9) / (input.modelMiB * 2 ** 20);
  const prefill = (ms: number) => (ms > 0 ? (input.longPromptTokens / ms) * 1000 : 0);
  const perFileByte = (mib: number, fixed: number, fileMiB: number) =>
    fileMiB > 0 ? r((mib - fixed) / fileMiB, 2) : 0;
  return {
    oursTokPerSec: r(ours.tokPerSec, 2),
    peerTokPerSec: r(peer.tokPerSec, 2),
    oursTtftMs: r(ours.ttftMs),
    peerTtftMs: r(peer.ttftMs),
    oursLongTtftMs: r(ours.longTtftMs),
    peerLongTtftMs: r(peer.longTtftMs),
    oursPrefillTokPerSec: r(prefill(ours.longTtftMs)),
    peerPrefillTokPerSec: r(prefill(peer.longTtftMs)),
    oursAfterLoadMiB: r(ours.afterLoadMiB, 0),
    peerAfterLoadMiB: r(peer.afterLoadMiB, 0),
    oursPeakMiB: r(ours.peakMiB, 0),
    peerPeakMiB: r(peer.peakMiB, 0),
    oursLoadMs: r(ours.loadMs, 0),
    peerLoadMs: r(peer.loadMs, 0),
    oursFixedMiB: r(input.oursFixedMiB, 0),
    peerFixedMiB: r(input.peerFixedMiB, 0),
    oursPeakPerFileByte: perFileByte(ours.peakMiB, input.oursFixedMiB, input.modelMiB),
    peerPeakPerFileByte: perFileByte(peer.peakMiB, input.peerFixedMiB, input.ggufMiB),
    oursAfterLoadPerFileByte: perFileByte(ours.afterLoadMiB, input.oursFixedMiB, input.modelMiB),
    peerAfterLoadPerFileByte: perFileByte(peer.afterLoadMiB, input.peerFixedMiB, input.ggufMiB),
    modelMiB: r(input.modelMiB),
    ggufMiB: r(input.ggufMiB),
    shortPromptTokens: input.shortPromptTokens,
    longPromptTokens: input.longPromptTokens,
    ceilingTokPerSec: r(ceiling),
    oursFractionOfCeiling: r(ours.tokPerSec / ceiling, 3),
    peerFractionOfCeiling: r(peer.tokPerSec / ceiling, 3),
    sameText: input.oursText === input.peerText,
    promptTokensMatch: input.promptTokensMatch,
    oursTokens: input.oursTokens,
    peerTokens: input.peerTokens,
    commonPrefixChars: commonPrefix(input.oursText, input.peerText),
    targets: {
      tokPerSec: '>= peerTokPerSec',
      ttftMs: '<= peerTtftMs (short and long prompt)',
      peakMiB:
        '<= peerPeakMiB and <= 1.5 * modelMiB + oursFixedMiB (peak of load and generation over the idle renderer)',
    },
    met: {
      tokPerSec: ours.tokPerSec >= peer.tokPerSec,
      ttft: ours.ttftMs <= peer.ttftMs && ours.longTtftMs <= peer.longTtftMs,
      peakVsPeer: ours.peakMiB <= peer.peakMiB,
      peakVsModel: ours.peakMiB <= 1.5 * input.modelMiB + input.oursFixedMiB,
    },
  };
}

/** One thread count's speed figures (the JSON's `byThreads["<n>"]`). */
export interface ThreadSummary
  extends Pick<
    PeerSummary,
    | 'oursTokPerSec'
    | 'peerTokPerSec'
    | 'oursTtftMs'
    | 'peerTtftMs'
    | 'oursLongTtftMs'
    | 'peerLongTtftMs'
    | 'oursPrefillTokPerSec'
    | 'peerPrefillTokPerSec'
  > {
  /** The ceiling at this count: one thread's bandwidth for 1, all threads' otherwise. */
  ceilingTokPerSec: number;
  oursFractionOfCeiling: number;
  peerFractionOfCeiling: number;
  sameText: boolean;
  met: { tokPerSec: boolean; ttft: boolean };
}

/**
 * A dtype's summary over thread counts: the top-level figures are those of the highest
 * count (the multithreaded run, where memory is measured too), `byThreads` holds each
 * count's speed, and `met.tokPerSec` / `met.ttft` hold only if they hold at every count.
 */
export interface ThreadedPeerSummary extends PeerSummary {
  /** The thread count the memory (and the top-level speed figures) come from. */
  memoryThreads: number;
  byThreads: Record<string, ThreadSummary>;
}

function threadSummary(s: PeerSummary): ThreadSummary {
  return {
    oursTokPerSec: s.oursTokPerSec,
    peerTokPerSec: s.peerTokPerSec,
    oursTtftMs: s.oursTtftMs,
    peerTtftMs: s.peerTtftMs,
    oursLongTtftMs: s.oursLongTtftMs,
    peerLongTtftMs: s.peerLongTtftMs,
    oursPrefillTokPerSec: s.oursPrefillTokPerSec,
    peerPrefillTokPerSec: s.peerPrefillTokPerSec,
    ceilingTokPerSec: s.ceilingTokPerSec,
    oursFractionOfCeiling: s.oursFractionOfCeiling,
    peerFractionOfCeiling: s.peerFractionOfCeiling,
    sameText: s.sameText,
    met: { tokPerSec: s.met.tokPerSec ?? false, ttft: s.met.ttft ?? false },
  };
}

/** Joins one dtype's summaries, one per thread count (each from `comparePeers`). */
export function combineThreadCounts(byCount: Map<number, PeerSummary>): ThreadedPeerSummary {
  const counts = [...byCount.keys()].sort((a, b) => a - b);
  const top = counts.at(-1);
  const multi = top === undefined ? undefined : byCount.get(top);
  if (top === undefined || !multi) throw new Error('no thread count was measured');
  const byThreads = Object.fromEntries(
    counts.map((n) => [String(n), threadSummary(byCount.get(n) as PeerSummary)]),
  );
  const every = (target: 'tokPerSec' | 'ttft') =>
    Object.values(byThreads).every((t) => t.met[target]);
  return {
    ...multi,
    met: { ...multi.met, tokPerSec: every('tokPerSec'), ttft: every('ttft') },
    memoryThreads: top,
    byThreads,
  };
}

const TABLE_HEAD = [
  '',
  'threads',
  'MiB',
  'tok/s',
  'of ceiling',
  'TTFT short ms',
  'TTFT long ms',
  'prefill tok/s',
  'load ms',
  '+MiB after load',
  '+MiB peak',
  '+MiB fixed',
  'peak/file',
];

/**
 * The table's rows: per dtype, side and thread count. The memory columns are filled only
 * on the row of the count they were measured at, so no figure reads as measured twice.
 */
export function peerTableRows(results: Record<string, ThreadedPeerSummary>): string[][] {
  const rows: string[][] = [TABLE_HEAD];
  for (const [dtype, s] of Object.entries(results)) {
    for (const side of ['ours', 'peer'] as const) {
      const p = side === 'ours' ? 'ours' : 'peer';
      for (const [threads, t] of Object.entries(s.byThreads)) {
        const memory =
          Number(threads) === s.memoryThreads
            ? [
                s[`${p}LoadMs`],
                s[`${p}AfterLoadMiB`],
                s[`${p}PeakMiB`],
                s[`${p}FixedMiB`],
                s[`${p}PeakPerFileByte`],
              ]
            : ['', '', '', '', ''];
        rows.push(
          [
            `${dtype} ${side === 'ours' ? 'ours' : 'wllama'}`,
            threads,
            side === 'ours' ? s.modelMiB : s.ggufMiB,
            t[`${p}TokPerSec`],
            t[`${p}FractionOfCeiling`],
            t[`${p}TtftMs`],
            t[`${p}LongTtftMs`],
            t[`${p}PrefillTokPerSec`],
            ...memory,
          ].map(String),
        );
      }
    }
  }
  return rows;
}

export function printPeerTable(
  results: Record<string, ThreadedPeerSummary>,
  notes: string[],
): void {
  const table = peerTableRows(results);
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  console.log('');
  for (const note of notes) console.log(note);
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths?.[i] ?? 0)).join(' | '));
  for (const [dtype, s] of Object.entries(results)) {
    const sameText = Object.entries(s.byThreads)
      .map(([n, t]) => `${t.sameText} (${n} threads)`)
      .join(', ');
    console.log(
      `${dtype}: same greedy text from both: ${sameText}; at ${s.memoryThreads} threads common prefix ${s.commonPrefixChars} chars, ` +
        `${s.oursTokens} / ${s.peerTokens} new tokens; prompts of ${s.shortPromptTokens} and ${s.longPromptTokens} tokens, ` +
        `same count in llama.cpp: ${s.promptTokensMatch}; met ${JSON.stringify(s.met)}`,
    );
  }
}
