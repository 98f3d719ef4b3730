// The peer benchmark's summary: bandwidth ceiling, fractions of it, and the targets'
// met flags in each direction (figures invented; the bench supplies measured ones).
import { describe, expect, it } from 'vitest';
import { comparePeers, type PeerInput, type SideFigures } from '../../bench/support/peerReport';

const side = (over: Partial<SideFigures> = {}): SideFigures => ({
  tokPerSec: 20,
  ttftMs: 100,
  longTtftMs: 1000,
  loadMs: 500,
  afterLoadMiB: 300,
  peakMiB: 400,
  ...over,
});

const input = (ours: Partial<SideFigures>, peer: Partial<SideFigures>): PeerInput => ({
  dtype: 'q8',
  modelMiB: 1000 / 1.048576, // 1e9 bytes
  ggufMiB: 950,
  shortPromptTokens: 20,
  longPromptTokens: 500,
  ours: side(ours),
  peer: side(peer),
  oursFixedMiB: 100,
  peerFixedMiB: 50,
  oursText: 'the cat sat',
  peerText: 'the cat ran',
  promptTokensMatch: true,
  oursTokens: 32,
  peerTokens: 32,
  bandwidthGBps: 10,
});

describe('comparePeers', () => {
  it('puts the ceiling at bandwidth over model bytes and reports each side against it', () => {
    const s = comparePeers(input({ tokPerSec: 5 }, { tokPerSec: 2.5 }));
    expect(s.ceilingTokPerSec).toBe(10);
    expect(s.oursFractionOfCeiling).toBe(0.5);
    expect(s.peerFractionOfCeiling).toBe(0.25);
    expect(s.oursPrefillTokPerSec).toBe(500);
    expect(s.sameText).toBe(false);
    expect(s.commonPrefixChars).toBe(8);
  });

  it('reports the peak above the fixed overhead per file byte, each side against its own file', () => {
    const s = comparePeers(input({ peakMiB: 500, afterLoadMiB: 300 }, { peakMiB: 1000 }));
    expect(s.oursPeakPerFileByte).toBe(Number((400 / (1000 / 1.048576)).toFixed(2)));
    expect(s.oursAfterLoadPerFileByte).toBe(Number((200 / (1000 / 1.048576)).toFixed(2)));
    expect(s.peerPeakPerFileByte).toBe(1);
  });

  it.each([
    ['all met', {}, {}, { tokPerSec: true, ttft: true, peakVsPeer: true, peakVsModel: true }],
    ['slower', { tokPerSec: 19 }, {}, { tokPerSec: false }],
    ['long prompt slower', { longTtftMs: 1001 }, {}, { ttft: false }],
    ['more memory than the peer', { peakMiB: 401 }, {}, { peakVsPeer: false }],
    ['over 1.5x the model + fixed', { peakMiB: 1532 }, { peakMiB: 2000 }, { peakVsModel: false }],
    [
      '1.5x the model + fixed, exactly',
      { peakMiB: 1530.5 },
      { peakMiB: 2000 },
      { peakVsModel: true },
    ],
  ])('%s', (_name, ours, peer, expected) => {
    const { met } = comparePeers(input(ours, peer));
    expect(met).toMatchObject(expected);
  });
});
