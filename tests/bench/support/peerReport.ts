// Figures of the peer benchmark (tests/bench/peers.bench.ts): one summary per dtype
// with ours against the peer, the fraction of the bandwidth ceiling each reaches,
// the targets of issue 12 and whether each is met; and the printed table.

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

export function printPeerTable(results: Record<string, PeerSummary>, notes: string[]): void {
  const rows = Object.entries(results).flatMap(([dtype, s]) => [
    [
      `${dtype} ours`,
      s.modelMiB,
      s.oursTokPerSec,
      s.oursFractionOfCeiling,
      s.oursTtftMs,
      s.oursLongTtftMs,
      s.oursPrefillTokPerSec,
      s.oursLoadMs,
      s.oursAfterLoadMiB,
      s.oursPeakMiB,
      s.oursFixedMiB,
      s.oursPeakPerFileByte,
    ],
    [
      `${dtype} wllama`,
      s.ggufMiB,
      s.peerTokPerSec,
      s.peerFractionOfCeiling,
      s.peerTtftMs,
      s.peerLongTtftMs,
      s.peerPrefillTokPerSec,
      s.peerLoadMs,
      s.peerAfterLoadMiB,
      s.peerPeakMiB,
      s.peerFixedMiB,
      s.peerPeakPerFileByte,
    ],
  ]);
  const head = [
    '',
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
  const table = [head, ...rows.map((row) => row.map(String))];
  const widths = head.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  console.log('');
  for (const note of notes) console.log(note);
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | '));
  for (const [dtype, s] of Object.entries(results)) {
    console.log(
      `${dtype}: same greedy text from both: ${s.sameText} (common prefix ${s.commonPrefixChars} chars; ` +
        `${s.oursTokens} / ${s.peerTokens} new tokens); prompts of ${s.shortPromptTokens} and ${s.longPromptTokens} tokens, ` +
        `same count in llama.cpp: ${s.promptTokensMatch}; met ${JSON.stringify(s.met)}`,
    );
  }
}
