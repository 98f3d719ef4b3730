// The chat's load request carries the planner's thread count, so a device rule
// such as Safari 26.2's one thread reaches onnxruntime, not only the plan's text.

import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest';
import { planModel, plannerModelFromManifest } from '../../../src/core/planner';
import { plannedRunFrom, textLoadRequestFrom } from '../../../src/ui/modelPlan';
import { type DeviceName, device } from '../planner/devices';

const manifest = parseManifest({
  schema: 1,
  id: 'chat-model',
  name: 'Chat model',
  version: '1.0.0',
  framework: 'transformers',
  task: 'text-generation',
  license: 'MIT',
  description: 'A small chat model.',
  variants: [
    {
      backend: 'wasm',
      dtype: 'q8',
      files: ['config.json', 'onnx/model_quantized.onnx'],
      memoryBytes: 0,
      requiredFeatures: [],
    },
  ],
  files: [
    {
      path: 'config.json',
      size: 700,
      sha256: 'a'.repeat(64),
      chunks: [{ offset: 0, length: 700, sha256: 'a'.repeat(64) }],
    },
    {
      path: 'onnx/model_quantized.onnx',
      size: 2_000,
      sha256: 'b'.repeat(64),
      chunks: [{ offset: 0, length: 2_000, sha256: 'b'.repeat(64) }],
    },
  ],
});

describe('textLoadRequestFrom', () => {
  const CASES: Array<[DeviceName, number]> = [
    ['ipad-safari-26-2', 1],
    ['ipad-safari-26', 4],
    ['chromium-default', 2],
  ];
  for (const [name, threads] of CASES) {
    it(`on ${name} asks the runtime for ${threads} thread(s), as planned`, () => {
      const result = planModel(device(name), plannerModelFromManifest(manifest));
      expect(result.plans[0]?.threads).toBe(threads);
      expect(textLoadRequestFrom(manifest, result)).toEqual({
        id: 'chat-model',
        version: '1.0.0',
        device: 'wasm',
        dtype: 'q8',
        threads,
      });
    });
  }
});

describe('plannedRunFrom: what the download prepares for', () => {
  const q4 = parseManifest({
    ...manifest,
    variants: [{ ...manifest.variants[0], dtype: 'q4', files: ['config.json'] }],
  });
  it.each([
    ['a q8 text model', manifest, { device: 'wasm', dtype: 'q8' }],
    ['a q4 text model (its int8 graph is derived)', q4, { device: 'wasm', dtype: 'q4' }],
    ['a model of another task', parseManifest({ ...manifest, task: 'feature-extraction' }), null],
  ])('%s on chromium-default', (_what, m, expected) => {
    const result = planModel(device('chromium-default'), plannerModelFromManifest(m));
    expect(plannedRunFrom(m, result)).toEqual(expected);
  });

  it('a model that runs nowhere here prepares nothing', () => {
    expect(plannedRunFrom(manifest, { modelId: manifest.id, plans: [], refused: [] })).toBeNull();
  });
});
