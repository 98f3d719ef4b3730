// Tests for the planner's view of a Hub listing, run through the real planner.

import { describe, expect, it } from 'vitest';
import { appDtype, hubPlannerModel } from '../../../src/core/hubPlan';
import { planModel } from '../../../src/core/planner';
import { device } from '../planner/devices';

const report = {
  repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  task: 'text-generation',
  variants: [
    { dtype: 'fp32', files: ['onnx/model.onnx'], bytes: 654e6, memoryBytes: 800e6 },
    { dtype: 'q4f16', files: ['onnx/model_q4f16.onnx'], bytes: 134e6, memoryBytes: 200e6 },
    { dtype: 'bnb4', files: ['onnx/model_bnb4.onnx'], bytes: 150e6, memoryBytes: 220e6 },
    { dtype: 'quantized', files: ['onnx/model_quantized.onnx'], bytes: 170e6, memoryBytes: 250e6 },
  ],
};

describe('appDtype', () => {
  it.each<[string, string | null]>([
    ['fp32', 'fp32'],
    ['fp16', 'fp16'],
    ['q8', 'q8'],
    ['quantized', 'q8'],
    ['int8', 'int8'],
    ['q4', 'q4'],
    ['q4f16', 'q4f16'],
    ['bnb4', null],
    ['uint8', null],
    ['', null],
  ])('%s → %s', (hub, app) => expect(appDtype(hub)).toBe(app));
});

describe('hubPlannerModel', () => {
  it('offers each runnable dtype on every backend and leaves out the others', () => {
    const model = hubPlannerModel(report);
    const pairs = model.variants.map((v) => `${v.backend}/${v.dtype}`);
    expect(pairs).toEqual([
      'wasm/fp32',
      'webgpu/fp32',
      'webnn/fp32',
      'wasm/q4f16',
      'webgpu/q4f16',
      'webnn/q4f16',
      'wasm/q8',
      'webgpu/q8',
      'webnn/q8',
    ]);
    expect(model.variants[3]?.memoryBytes).toBe(200e6);
  });

  it('runs on WebAssembly on a device without WebGPU, refusing the GPU variants', () => {
    const { plans, refused } = planModel(device('firefox-linux'), hubPlannerModel(report));
    expect(plans.length).toBeGreaterThan(0);
    expect(plans.every((p) => p.backend === 'wasm')).toBe(true);
    expect(refused.some((r) => r.variant.backend === 'webgpu')).toBe(true);
  });

  it('gives the planner nothing to run for a repo with only unknown dtypes', () => {
    const only = { ...report, variants: [report.variants[2] as (typeof report.variants)[2]] };
    expect(hubPlannerModel(only).variants).toEqual([]);
  });
});
