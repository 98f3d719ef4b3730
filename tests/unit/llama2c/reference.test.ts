// The plain-TS llama2.c forward pass reproduces the upstream stories260K output.
import { describe, expect, it } from 'vitest';
import { greedyContinuation, loadReference } from '../../../tools/llama2c/reference';
import { HAVE_LLAMA2C, llama2cSuite, README_STORY } from './sharedModels';

describe.skipIf(!HAVE_LLAMA2C)(
  llama2cSuite('llama2.c reference forward pass (stories260K)'),
  () => {
    it('reads the checkpoint header: dim 64, hidden 172, 5 layers, 8/4 heads, vocab 512, shared classifier', () => {
      const { config, weights } = loadReference().checkpoint;
      expect(config).toMatchObject({
        dim: 64,
        hiddenDim: 172,
        nLayers: 5,
        nHeads: 8,
        nKvHeads: 4,
        vocabSize: 512,
        seqLen: 512,
        sharedClassifier: true,
        headSize: 8,
      });
      expect(weights.wcls).toBe(weights.tokenEmbedding);
    });

    it('reproduces the README story exactly with 100 greedy steps from BOS', () => {
      const { promptIds, ids, text } = greedyContinuation('', 100);
      expect(promptIds).toEqual([1]);
      expect(ids).toHaveLength(100);
      expect(text).toBe(README_STORY);
    });

    it('continues a prompt after its last token (text keeps the leading space)', () => {
      const { promptIds, ids, text } = greedyContinuation(
        'Once upon a time, there was a little dog',
        12,
      );
      expect(promptIds.slice(0, 5)).toEqual([1, 403, 407, 261, 378]);
      expect(ids).toHaveLength(12);
      expect(text.startsWith(' named')).toBe(true);
    });
  },
);
