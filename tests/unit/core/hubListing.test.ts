// Listing → variants → manifest, on Hub listings kept as fixtures
// (tests/fixtures/hub), and the dtype/file rules one by one.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import {
  DTYPE_SUFFIX,
  type HubFileEntry,
  hubManifest,
  hubModelId,
  hubModelVersion,
  hubVariants,
} from '../../../src/core/hubListing';
import { DTYPES, parseManifest } from '../../../src/core/manifest';
import { planModel } from '../../../src/core/planner';
import { device } from '../planner/devices';

interface Fixture {
  repo: string;
  revision: { sha: string; pipeline_tag: string };
  tree: HubFileEntry[];
}
const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../../fixtures/hub/${name}.json`, import.meta.url), 'utf8'));

const smol = fixture('smollm2-135m-instruct');
const gpt2 = fixture('distilgpt2');
const qwen = fixture('qwen2.5-0.5b-instruct');
const noOnnx = fixture('no-onnx');

const file = (path: string, size = 10, lfs = false): HubFileEntry => ({
  type: 'file',
  path,
  size,
  oid: 'a'.repeat(40),
  ...(lfs ? { lfs: { oid: 'b'.repeat(64), size, pointerSize: 134 } } : {}),
});

describe('hubVariants on recorded listings', () => {
  it('SmolLM2: every dtype transformers.js names, model{suffix}.onnx, support files first', () => {
    const variants = hubVariants(smol.tree);
    expect(variants.map((v) => v.dtype)).toEqual([
      'fp32',
      'fp16',
      'q8',
      'int8',
      'uint8',
      'q4',
      'bnb4',
      'q4f16',
    ]);
    const q8 = variants.find((v) => v.dtype === 'q8');
    expect(q8?.files).toEqual([
      'config.json',
      'generation_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'vocab.json',
      'merges.txt',
      'onnx/model_quantized.onnx',
    ]);
    // README, .gitattributes, safetensors are never downloaded.
    for (const v of variants)
      expect(v.files.some((p) => /README|safetensors|gitattr/.test(p))).toBe(false);
  });

  it('bytes add up the real sizes; memory is 1.25 × the weights', () => {
    const q4 = hubVariants(smol.tree).find((v) => v.dtype === 'q4');
    const sizes = new Map(smol.tree.map((e) => [e.path, e.size]));
    const expected = q4?.files.reduce((s, p) => s + (sizes.get(p) ?? 0), 0);
    expect(q4?.bytes).toBe(expected);
    expect(q4?.memoryBytes).toBe(Math.ceil(199_000_000 * 1.25));
  });

  it('distilgpt2: decoder_model_merged where the repo has no model.onnx', () => {
    const variants = hubVariants(gpt2.tree);
    expect(variants.map((v) => [v.dtype, v.files.at(-1)])).toEqual([
      ['fp32', 'onnx/decoder_model_merged.onnx'],
      ['q8', 'onnx/decoder_model_merged_quantized.onnx'],
    ]);
  });

  it('Qwen2.5: every external-data file of the chosen weights, in order, and no stray', () => {
    const variants = hubVariants(qwen.tree);
    expect(variants.map((v) => v.dtype)).toEqual(['fp32', 'fp16', 'q8', 'q4f16']);
    expect(variants[0]?.files.filter((p) => p.startsWith('onnx/'))).toEqual([
      'onnx/model.onnx',
      'onnx/model.onnx_data',
      'onnx/model.onnx_data_1',
    ]);
    expect(variants[1]?.files.filter((p) => p.startsWith('onnx/'))).toEqual([
      'onnx/model_fp16.onnx',
      'onnx/model_fp16.onnx_data',
    ]);
    expect(variants[0]?.memoryBytes).toBe(
      Math.ceil((796_000 + 1_976_000_000 + 512_000_000) * 1.25),
    );
  });

  it('a repo with no onnx/ weights has no variant', () => {
    expect(hubVariants(noOnnx.tree)).toEqual([]);
  });
});

describe('dtype and file rules', () => {
  const cases: Array<[string, HubFileEntry[], Array<[string, string[]]>]> = [
    ['no config.json: nothing runs', [file('onnx/model.onnx')], []],
    [
      'fp32 alone',
      [file('config.json'), file('onnx/model.onnx')],
      [['fp32', ['config.json', 'onnx/model.onnx']]],
    ],
    [
      'model wins over decoder_model_merged of the same dtype',
      [file('config.json'), file('onnx/model_q4.onnx'), file('onnx/decoder_model_merged_q4.onnx')],
      [['q4', ['config.json', 'onnx/model_q4.onnx']]],
    ],
    [
      'encoder beside decoder_model_merged (encoder-decoder)',
      [
        file('config.json'),
        file('onnx/encoder_model_fp16.onnx'),
        file('onnx/decoder_model_merged_fp16.onnx'),
      ],
      [
        [
          'fp16',
          ['config.json', 'onnx/encoder_model_fp16.onnx', 'onnx/decoder_model_merged_fp16.onnx'],
        ],
      ],
    ],
    [
      'external data numbered naturally (_2 before _10), look-alikes left out',
      [
        file('config.json'),
        file('onnx/model_q4f16.onnx'),
        file('onnx/model_q4f16.onnx_data_10'),
        file('onnx/model_q4f16.onnx_data_2'),
        file('onnx/model_q4f16.onnx_data'),
        file('onnx/model_q4f16.onnx_data_x'),
        file('onnx/model_q4f16.onnx_datax'),
      ],
      [
        [
          'q4f16',
          [
            'config.json',
            'onnx/model_q4f16.onnx',
            'onnx/model_q4f16.onnx_data',
            'onnx/model_q4f16.onnx_data_2',
            'onnx/model_q4f16.onnx_data_10',
          ],
        ],
      ],
    ],
    [
      'weights outside onnx/ are not a variant',
      [file('config.json'), file('model.onnx'), file('onnx/sub/model.onnx')],
      [],
    ],
    [
      'a directory named like a model is not one',
      [
        file('config.json'),
        { type: 'directory', path: 'onnx/model.onnx', size: 0, oid: 'c'.repeat(40) },
      ],
      [],
    ],
  ];
  it.each(cases)('%s', (_name, entries, expected) => {
    expect(hubVariants(entries).map((v) => [v.dtype, v.files])).toEqual(expected);
  });

  it.each(DTYPES.map((d) => [d, DTYPE_SUFFIX[d]]))(
    '%s reads onnx/model%s.onnx',
    (dtype, suffix) => {
      const variants = hubVariants([file('config.json'), file(`onnx/model${suffix}.onnx`)]);
      expect(variants.map((v) => v.dtype)).toEqual([dtype]);
    },
  );
});

describe('hubManifest', () => {
  const input = {
    repo: smol.repo,
    commit: smol.revision.sha,
    dtype: 'q4' as const,
    entries: smol.tree,
    task: 'text-generation',
    license: 'apache-2.0',
  };

  it('LFS files by SHA-256 = lfs.oid, plain files by git blob id = oid, no chunks; a valid manifest', () => {
    const manifest = parseManifest(hubManifest(input));
    const byPath = new Map(smol.tree.map((e) => [e.path, e]));
    for (const f of manifest.files) {
      const entry = byPath.get(f.path) as HubFileEntry;
      expect(f.chunks).toEqual([]);
      if (entry.lfs) expect([f.sha256, f.gitBlobSha1]).toEqual([entry.lfs.oid, undefined]);
      else expect([f.sha256, f.gitBlobSha1]).toEqual([undefined, entry.oid]);
    }
    expect(manifest.files.find((f) => f.path === 'onnx/model_q4.onnx')?.sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect(manifest.variants.map((v) => [v.backend, v.dtype])).toEqual([
      ['webgpu', 'q4'],
      ['wasm', 'q4'],
    ]);
  });

  it('id from the repo and dtype, version from the commit (a moved branch is a new version)', () => {
    expect(hubModelId('HuggingFaceTB/SmolLM2-135M-Instruct', 'q4')).toBe(
      'huggingfacetb--smollm2-135m-instruct-q4',
    );
    expect(hubModelId(`o/${'x'.repeat(90)}`, 'q4f16')).toHaveLength(64);
    expect(hubModelVersion('0123456789abcdef0123456789abcdef01234567')).toBe('0.0.0-c0123456789ab');
    const m = hubManifest(input);
    expect([m.id, m.version]).toEqual([
      'huggingfacetb--smollm2-135m-instruct-q4',
      hubModelVersion(smol.revision.sha),
    ]);
  });

  it('a dtype the repo lacks is no-runnable-files', () => {
    const thrown = (() => {
      try {
        hubManifest({ ...input, entries: gpt2.tree, dtype: 'q4' });
      } catch (error) {
        return error;
      }
    })();
    expect(AppError.is(thrown, 'no-runnable-files')).toBe(true);
  });

  const plannerModel = (tree: HubFileEntry[]) => ({
    id: 'hub',
    framework: 'transformers' as const,
    variants: hubVariants(tree).flatMap((v) =>
      (['webgpu', 'wasm'] as const).map((backend) => ({
        backend,
        dtype: v.dtype,
        files: v.files,
        memoryBytes: v.memoryBytes,
        requiredFeatures: [],
      })),
    ),
    files: tree,
  });

  it('the planner ranks Hub variants: a GPU with shader-f16 takes q4f16 on WebGPU', () => {
    const result = planModel(device('windows-chrome-rtx4070'), plannerModel(smol.tree));
    expect(result.plans.length + result.refused.length).toBe(16);
    expect([result.plans[0]?.backend, result.plans[0]?.dtype]).toEqual(['webgpu', 'q4f16']);
  });

  it('the planner ranks Hub variants: without a GPU, an 8-bit variant on the CPU', () => {
    const plan = planModel(device('chromium-default'), plannerModel(smol.tree)).plans[0];
    expect(plan?.backend).toBe('wasm');
    expect(['q8', 'int8', 'uint8']).toContain(plan?.dtype);
  });
});
