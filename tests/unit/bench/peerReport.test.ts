// The peer benchmark's summary: bandwidth ceiling, fractions of it, and the targets'
// met flags in each direction (figures invented; the bench supplies measured ones).
import { describe, expect, it } from 'vitest';
import {
  combineThreadCounts,
  comparePeers,
  type PeerInput,
  peerTableRows,
  type SideFigures,
} from '../../bench/support/peerReport';

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

describe('combineThreadCounts', () => {
  // One thread: ceiling 5 tok/s at 5 GB/s; four: 10 tok/s at 10 GB/s (1e9-byte model).
  const one = comparePeers({
    ...input({ tokPerSec: 2, ttftMs: 300 }, { tokPerSec: 1, ttftMs: 400 }),
    bandwidthGBps: 5,
  });
  const four = comparePeers(input({ tokPerSec: 5 }, { tokPerSec: 4 }));

  it('keeps the highest count as the top-level figures and each count under byThreads', () => {
    const s = combineThreadCounts(
      new Map([
        [4, four],
        [1, one],
      ]),
    );
    expect(s.memoryThreads).toBe(4);
    expect(s.oursTokPerSec).toBe(5);
    expect(s.oursPeakMiB).toBe(four.oursPeakMiB);
    expect(Object.keys(s.byThreads)).toEqual(['1', '4']);
    expect(s.byThreads['1']).toMatchObject({
      oursTokPerSec: 2,
      peerTokPerSec: 1,
      oursTtftMs: 300,
      ceilingTokPerSec: 5,
      oursFractionOfCeiling: 0.4,
      peerFractionOfCeiling: 0.2,
      met: { tokPerSec: true, ttft: true },
    });
    expect(s.byThreads['4']?.oursFractionOfCeiling).toBe(0.5);
  });

  it.each([
    ['met at every count', {}, { tokPerSec: true, ttft: true }],
    ['slower single-threaded only', { tokPerSec: 0.5 }, { tokPerSec: false, ttft: true }],
    [
      'later first token single-threaded only',
      { longTtftMs: 2000 },
      { tokPerSec: true, ttft: false },
    ],
  ])('%s', (_name, oursAtOne, expected) => {
    const slowOne = comparePeers({ ...input(oursAtOne, {}), bandwidthGBps: 5 });
    const s = combineThreadCounts(
      new Map([
        [1, slowOne],
        [4, four],
      ]),
    );
    expect(s.met).toMatchObject(expected);
    expect(s.byThreads['4']?.met).toEqual({ tokPerSec: true, ttft: true });
  });

  it('refuses an empty set of counts', () => {
    expect(() => combineThreadCounts(new Map())).toThrow(/no thread count/);
  });
});

describe('peerTableRows', () => {
  it('has a row per dtype, side and count, with memory only on the count it was measured at', () => {
    const one = comparePeers({ ...input({ tokPerSec: 2 }, { tokPerSec: 1 }), bandwidthGBps: 5 });
    const two = comparePeers(input({ tokPerSec: 5 }, { tokPerSec: 4 }));
    const rows = peerTableRows({
      q8: combineThreadCounts(
        new Map([
          [1, one],
          [2, two],
        ]),
      ),
    });
    expect(rows[0]?.slice(0, 4)).toEqual(['', 'threads', 'MiB', 'tok/s']);
    expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ['q8 ours', '1'],
      ['q8 ours', '2'],
      ['q8 wllama', '1'],
      ['q8 wllama', '2'],
    ]);
    expect(rows[1]?.[3]).toBe('2');
    expect(rows[3]?.[3]).toBe('1');
    const peak = rows[0]?.indexOf('+MiB peak') ?? -1;
    expect(rows.slice(1).map((r) => r[peak])).toEqual(['', '400', '', '400']);
  });
});
