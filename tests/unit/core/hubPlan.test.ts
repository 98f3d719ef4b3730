// Tests for the planner's view of a Hub listing, run through the real planner
// on recorded device reports and a real listing (tests/fixtures/hub).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type HubFileEntry, hubVariants } from '../../../src/core/hubListing';
import { hubPlannerModel } from '../../../src/core/hubPlan';
import { planModel } from '../../../src/core/planner';
import { device } from '../planner/devices';

const FIXTURE = join(
  import.meta.dirname,
  '..',
  '..',
  'fixtures',
  'hub',
  'smollm2-135m-instruct.json',
);
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as
  | { tree?: HubFileEntry[] }
  | HubFileEntry[];
const entries = Array.isArray(fixture) ? fixture : (fixture.tree ?? []);
const report = {
  repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  task: 'text-generation',
  variants: hubVariants(entries),
};

describe('hubPlannerModel', () => {
  it('offers each dtype of the listing on WebGPU and WebAssembly, with its memory need', () => {
    const model = hubPlannerModel(report);
    expect(report.variants.length).toBeGreaterThan(1);
    expect(model.variants).toHaveLength(report.variants.length * 2);
    for (const [i, variant] of report.variants.entries()) {
      const pair = model.variants.slice(i * 2, i * 2 + 2);
      expect(pair.map((p) => p.backend)).toEqual(['webgpu', 'wasm']);
      expect(pair.every((p) => p.dtype === variant.dtype)).toBe(true);
      expect(pair.every((p) => p.memoryBytes === variant.memoryBytes)).toBe(true);
    }
  });

  it('runs on WebAssembly on a device without WebGPU, refusing the GPU variants', () => {
    const { plans, refused } = planModel(device('firefox-linux'), hubPlannerModel(report));
    expect(plans.length).toBeGreaterThan(0);
    expect(plans.every((p) => p.backend === 'wasm')).toBe(true);
    expect(refused.some((r) => r.variant.backend === 'webgpu')).toBe(true);
  });

  it('gives the planner nothing to run for a listing without variants', () => {
    expect(hubPlannerModel({ ...report, variants: [] }).variants).toEqual([]);
  });
});
