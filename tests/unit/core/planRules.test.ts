// Each planner rule on its own: one fact changed on a known device, the exact
// reason a user reads, and whether the variant is refused or kept.

import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../../src/core/manifest';
import { type PlannerModel, type PlannerVariant, planModel } from '../../../src/core/planner';
import type { ProbeReport } from '../../../src/core/probeReport';
import { variantKey } from '../planner/catalog';
import { type DeviceName, device, variantOf } from '../planner/devices';

const MB = 1_000_000;

/** The test model's one file, at a given size. */
function file(size: number) {
  return { path: 'model.onnx', size };
}

function model(variant: Partial<PlannerVariant>, extra: Partial<PlannerModel> = {}): PlannerModel {
  return {
    id: 'm',
    framework: 'onnx',
    variants: [
      {
        backend: 'wasm',
        dtype: 'fp32',
        files: ['model.onnx'],
        memoryBytes: 0,
        requiredFeatures: [],
        ...variant,
      },
    ],
    files: [{ path: 'model.onnx', size: 50 * MB }],
    ...extra,
  };
}

interface RefusalCase {
  rule: string;
  report: ProbeReport;
  model: PlannerModel;
  reasons: string[];
}

const REFUSALS: RefusalCase[] = [
  {
    rule: 'no WebAssembly at all',
    report: variantOf('firefox-linux', (r) => {
      r.wasm.supported = false;
    }),
    model: model({}),
    reasons: ['needs WebAssembly: this browser has none'],
  },
  {
    rule: 'WASM without SIMD',
    report: variantOf('firefox-linux', (r) => {
      r.wasm.simd = false;
    }),
    model: model({}),
    reasons: ['needs WebAssembly SIMD: onnxruntime-web ships SIMD builds only'],
  },
  {
    rule: 'WebGPU variant in a browser without WebGPU',
    report: device('iphone-safari-18'),
    model: model({ backend: 'webgpu' }),
    reasons: ['needs WebGPU: this browser has none'],
  },
  {
    rule: 'WebGPU variant when the browser gives no adapter',
    report: device('chromium-default'),
    model: model({ backend: 'webgpu', dtype: 'q4f16' }),
    reasons: ['needs WebGPU: the browser offers no adapter (GPU blocked or disabled)'],
  },
  {
    rule: 'fp16 weights without shader-f16',
    report: device('android-chrome-midrange'),
    model: model({ backend: 'webgpu', dtype: 'fp16' }),
    reasons: ['needs WebGPU shader-f16'],
  },
  {
    rule: 'a GPU feature the manifest names and the adapter lacks',
    report: device('ipad-safari-26'),
    model: model({ backend: 'webgpu', requiredFeatures: ['subgroups'] }),
    reasons: ['needs WebGPU subgroups'],
  },
  {
    rule: 'WebNN variant without navigator.ml',
    report: device('mac-chrome-m2'),
    model: model({ backend: 'webnn' }),
    reasons: ['needs WebNN: this browser has none'],
  },
  {
    rule: 'WebNN variant when no context can be created',
    report: variantOf('mac-chrome-m2', (r) => {
      r.webnn = { api: true, context: false };
    }),
    model: model({ backend: 'webnn' }),
    reasons: ['needs WebNN: no WebNN context could be created'],
  },
  {
    rule: 'named WASM features the engine lacks',
    report: device('iphone-safari-18'),
    model: model({ requiredFeatures: ['relaxed-simd', 'memory64', 'jspi'] }),
    reasons: [
      'needs WebAssembly relaxed SIMD',
      'needs WebAssembly memory64',
      'needs WebAssembly JSPI',
    ],
  },
  {
    rule: 'JSPI and memory64 named by a variant, in Safari 26',
    report: device('mac-safari-26'),
    model: model({ requiredFeatures: ['jspi', 'memory64'] }),
    reasons: ['needs WebAssembly JSPI', 'needs WebAssembly memory64'],
  },
  {
    rule: 'threads and isolation required on a page that is not isolated',
    report: device('chromium-default-not-isolated'),
    model: model({ requiredFeatures: ['wasm-threads', 'cross-origin-isolated'] }),
    reasons: [
      'needs WebAssembly threads (cross-origin isolation)',
      'needs a cross-origin isolated page',
    ],
  },
  {
    rule: 'sync access handles required where a worker has none',
    report: variantOf('iphone-safari-18', (r) => {
      r.storage.syncAccessHandle = false;
    }),
    model: model({ requiredFeatures: ['opfs-sync-access'] }),
    reasons: ['needs OPFS sync access handles'],
  },
  {
    rule: 'over the iPhone per-tab budget, by the measured q8 wasm ratio',
    report: device('iphone-safari-18'),
    model: model({ dtype: 'q8' }, { framework: 'transformers', files: [file(1_000 * MB)] }),
    reasons: [
      "est. 2.1 GB peak (148 MB + 1.9× file, measured q8 wasm): over this iPhone's 1.5 GB per-tab budget",
    ],
  },
  {
    rule: 'over half of an Android phone’s memory, by the fallback ratio',
    report: device('android-chrome-midrange'),
    model: model({}, { files: [file(1_200 * MB)] }),
    reasons: [
      "est. 2.5 GB peak (148 MB + 1.9× file, fallback: none measured for fp32 wasm): over half of this Android phone's 4 GB of memory",
    ],
  },
  {
    rule: 'over a small desktop’s reported memory',
    report: variantOf('windows-chrome-rtx4070', (r) => {
      r.device.deviceMemoryGB = 4;
    }),
    model: model({}, { files: [file(2_800 * MB)] }),
    reasons: [
      "est. 5.6 GB peak (148 MB + 1.9× file, fallback: none measured for fp32 wasm): over this device's 4 GB of memory",
    ],
  },
  {
    rule: 'a manifest’s memoryBytes above the estimate raises it',
    report: device('iphone-safari-18'),
    model: model(
      { dtype: 'q8', memoryBytes: 1_600 * MB },
      { framework: 'transformers', files: [file(100 * MB)] },
    ),
    reasons: [
      "est. 1.6 GB peak (the manifest's memoryBytes, above 148 MB + 1.9× file): over this iPhone's 1.5 GB per-tab budget",
    ],
  },
  {
    rule: 'files over wasm32’s 4 GiB even where memory is plentiful',
    report: device('windows-chrome-rtx4070'),
    model: model({}, { files: [file(4_500 * MB)] }),
    reasons: ["files 4.5 GB: over WebAssembly's 4 GiB memory limit (wasm32)"],
  },
  {
    rule: 'a declared peak over wasm32’s 4 GiB when no file sizes are known',
    report: device('windows-chrome-rtx4070'),
    model: model({ memoryBytes: 5_000 * MB, files: [] }, { files: [] }),
    reasons: [
      "est. 5.0 GB peak (the manifest's memoryBytes): over WebAssembly's 4 GiB memory limit (wasm32)",
    ],
  },
  {
    rule: 'a tensor larger than the adapter’s storage binding limit',
    report: device('android-chrome-midrange'),
    model: model({ backend: 'webgpu', largestTensorBytes: 200 * MB }),
    reasons: ['largest tensor 200 MB: over the adapter’s 134 MB WebGPU buffer limit'],
  },
  {
    rule: 'iOS caps WebGPU buffers near 1 GiB whatever the adapter says',
    report: variantOf('ipad-safari-26', (r) => {
      if (r.webgpu.adapter) r.webgpu.adapter.limits.maxBufferSize = 4 * 1024 ** 3;
      if (r.webgpu.adapter) r.webgpu.adapter.limits.maxStorageBufferBindingSize = 4 * 1024 ** 3;
    }),
    model: model({ backend: 'webgpu' }, { files: [file(1_200 * MB)] }),
    reasons: [
      "est. 2.5 GB peak (148 MB + 1.9× file, fallback: none measured for fp32 webgpu): over this iPad's 1.5 GB per-tab budget",
      "largest file 1.2 GB (no tensor sizes listed): over this iPad's 1.1 GB WebGPU buffer limit",
    ],
  },
  {
    rule: 'a built-in model in a browser without the Prompt API',
    report: device('firefox-linux'),
    model: model({}, { framework: 'builtin' }),
    reasons: ['needs the built-in Prompt API: this browser has none'],
  },
  {
    rule: 'a built-in model when availability() gave no answer',
    report: variantOf('mac-chrome-m2', (r) => {
      r.promptApi.availability = null;
    }),
    model: model({}, { framework: 'builtin' }),
    reasons: ['the built-in Prompt API did not answer when asked for availability'],
  },
];

describe('refusals', () => {
  for (const c of REFUSALS) {
    it(`refuses: ${c.rule}`, () => {
      const result = planModel(c.report, c.model);
      expect(result.plans).toEqual([]);
      expect(result.refused[0]?.reasons).toEqual(c.reasons);
    });
  }
});

interface KeptCase {
  rule: string;
  report: ProbeReport;
  model: PlannerModel;
  reason: string;
  threads?: number;
}

const KEPT: KeptCase[] = [
  {
    rule: 'no threads on a page that is not cross-origin isolated',
    report: device('chromium-default-not-isolated'),
    model: model({}),
    reason: 'no threads: page is not cross-origin isolated',
    threads: 1,
  },
  {
    rule: 'no threads without SharedArrayBuffer even when isolated (WebKitGTK)',
    report: variantOf('iphone-safari-18', (r) => {
      r.isolation.sharedArrayBuffer = false;
      r.wasm.sharedMemory = false;
    }),
    model: model({}),
    reason: 'no threads: this browser offers no SharedArrayBuffer',
    threads: 1,
  },
  {
    rule: 'no threads when the engine rejects atomics',
    report: variantOf('firefox-linux', (r) => {
      r.wasm.threads = false;
    }),
    model: model({}),
    reason: 'no threads: WebAssembly threads are not supported',
    threads: 1,
  },
  {
    rule: 'at most 4 threads on many cores',
    report: device('windows-chrome-rtx4070'),
    model: model({}),
    reason: '4 threads: cross-origin isolated, 16 cores',
    threads: 4,
  },
  {
    rule: 'two threads when the core count is hidden',
    report: variantOf('firefox-linux', (r) => {
      r.device.cores = null;
    }),
    model: model({}),
    reason: '2 threads: cross-origin isolated, core count hidden',
    threads: 2,
  },
  {
    rule: 'one thread on a single core',
    report: variantOf('firefox-linux', (r) => {
      r.device.cores = 1;
    }),
    model: model({}),
    reason: '1 thread: this device reports a single core',
    threads: 1,
  },
  {
    rule: 'TFLite without SIMD runs on LiteRT.js’s compatible build',
    report: variantOf('firefox-linux', (r) => {
      r.wasm.simd = false;
    }),
    model: model({}, { framework: 'tflite' }),
    reason: 'no threads: LiteRT.js runs threads only with relaxed SIMD',
    threads: 1,
  },
  {
    rule: 'TFLite gets one thread even with relaxed SIMD: LiteRT.js threads hang in a worker',
    report: device('windows-chrome-rtx4070'),
    model: model({}, { framework: 'tflite' }),
    reason: 'no threads: LiteRT.js threads hang inside a worker',
    threads: 1,
  },
  {
    rule: 'fp16 on the CPU is allowed but said to be slow',
    report: device('firefox-linux'),
    model: model({ dtype: 'fp16' }),
    reason: 'fp16 on the CPU: no fp16 math there, slower than q8',
  },
  {
    rule: 'fp16 on a GPU with shader-f16',
    report: device('mac-chrome-m2'),
    model: model({ backend: 'webgpu', dtype: 'q4f16' }),
    reason: 'shader-f16 available: fp16 math on the GPU',
  },
  {
    rule: 'a hardware adapter is named',
    report: device('windows-chrome-rtx4070'),
    model: model({ backend: 'webgpu' }),
    reason: 'WebGPU on a hardware adapter (nvidia lovelace)',
  },
  {
    rule: 'the software adapter is usable but slower for non-LLMs too',
    report: device('chromium-swiftshader'),
    model: model({ backend: 'webgpu' }),
    reason:
      'WebGPU on a software fallback adapter (google swiftshader): usable, but slower than WASM for most models',
  },
  {
    rule: 'WASM on a device with a real GPU says the GPU would be faster',
    report: device('mac-chrome-m2'),
    model: model({}),
    reason: 'WebAssembly with SIMD on the CPU: slower than this device’s WebGPU',
  },
  {
    rule: 'how much of the iPad budget the model takes',
    report: device('ipad-safari-26'),
    model: model({}),
    reason:
      "fits: est. 245 MB peak (148 MB + 1.9× file, fallback: none measured for fp32 wasm) within this iPad's 1.5 GB per-tab budget",
  },
  {
    rule: 'no budget on a desktop whose memory hint is at its ceiling',
    report: device('mac-chrome-m2'),
    model: model({}, { files: [file(800 * MB)] }),
    reason: 'needs est. 1.7 GB peak (148 MB + 1.9× file, fallback: none measured for fp32 wasm)',
  },
  {
    rule: 'the measured ratio for transformers.js q8 on wasm',
    report: device('mac-chrome-m2'),
    model: model({ dtype: 'q8' }, { framework: 'transformers' }),
    reason: 'needs est. 245 MB peak (148 MB + 1.9× file, measured q8 wasm)',
  },
  {
    rule: 'a hand-set memoryBytes below the estimate does not lower it',
    report: device('mac-chrome-m2'),
    model: model({ dtype: 'q8', memoryBytes: 60 * MB }, { framework: 'transformers' }),
    reason: 'needs est. 245 MB peak (148 MB + 1.9× file, measured q8 wasm)',
  },
  {
    rule: 'the model’s download size when the variant lists no file sizes',
    report: device('mac-chrome-m2'),
    model: model({ files: [] }, { files: [], sizeBytes: 10 * MB }),
    reason:
      'needs est. 167 MB peak (148 MB + 1.9× download, fallback: none measured for fp32 wasm)',
  },
  {
    rule: 'the manifest’s memoryBytes when nothing else is known',
    report: device('mac-chrome-m2'),
    model: model({ memoryBytes: 300 * MB, files: [] }, { files: [] }),
    reason: "needs est. 300 MB peak (the manifest's memoryBytes)",
  },
  {
    rule: 'memory need unknown when nothing says it',
    report: device('mac-chrome-m2'),
    model: model({ files: [] }, { files: [] }),
    reason: 'memory need unknown: the manifest does not say',
  },
  {
    rule: 'a download bigger than the free quota is flagged but not refused',
    report: variantOf('iphone-safari-18', (r) => {
      r.storage.quotaBytes = 1_000 * MB;
      r.storage.usageBytes = 800 * MB;
    }),
    model: model({}, { sizeBytes: 500 * MB }),
    reason: 'storage: the download needs 500 MB, 200 MB free on this iPhone',
  },
  {
    rule: 'a built-in model that is downloading',
    report: variantOf('mac-chrome-m2', (r) => {
      r.promptApi.availability = 'downloading';
    }),
    model: model({}, { framework: 'builtin' }),
    reason: 'built into the browser; its model is downloading now',
    threads: 0,
  },
];

describe('kept plans and their reasons', () => {
  for (const c of KEPT) {
    it(`keeps and explains: ${c.rule}`, () => {
      const result = planModel(c.report, c.model);
      expect(result.refused).toEqual([]);
      expect(result.plans[0]?.reasons).toContain(c.reason);
      if (c.threads !== undefined) expect(result.plans[0]?.threads).toBe(c.threads);
    });
  }
});

describe('ranking', () => {
  const all: Array<[PlannerVariant['backend'], Dtype]> = [
    ['wasm', 'q8'],
    ['webnn', 'fp16'],
    ['webgpu', 'q4'],
  ];
  const threeBackends = model(
    {},
    {
      variants: all.map(([backend, dtype]) => ({
        backend,
        dtype,
        files: ['model.onnx'],
        memoryBytes: 100 * MB,
        requiredFeatures: [],
      })),
    },
  );
  const withWebnn = (name: DeviceName) =>
    variantOf(name, (r) => {
      r.webnn = { api: true, context: true };
    });

  it('prefers a real GPU, then WebNN, then WASM', () => {
    const result = planModel(withWebnn('windows-chrome-rtx4070'), threeBackends);
    expect(result.plans.map(variantKey)).toEqual(['webgpu/q4', 'webnn/fp16', 'wasm/q8']);
    expect(result.plans[1]?.reasons).toContain('WebNN: a context could be created');
  });

  it('puts a software GPU after WASM and WebNN', () => {
    const result = planModel(withWebnn('chromium-swiftshader'), threeBackends);
    expect(result.plans.map(variantKey)).toEqual(['webnn/fp16', 'wasm/q8', 'webgpu/q4']);
  });

  it('breaks a tie by the smaller footprint', () => {
    const twins = model(
      {},
      {
        variants: [
          { backend: 'wasm', dtype: 'q8', files: [], memoryBytes: 300 * MB, requiredFeatures: [] },
          {
            backend: 'wasm',
            dtype: 'int8',
            files: [],
            memoryBytes: 200 * MB,
            requiredFeatures: [],
          },
        ],
      },
    );
    const result = planModel(device('firefox-linux'), twins);
    expect(result.plans.map(variantKey)).toEqual(['wasm/int8', 'wasm/q8']);
  });

  it('is deterministic: the same report and model give the same plans', () => {
    const report = device('ipad-safari-26');
    expect(planModel(report, threeBackends)).toEqual(planModel(report, threeBackends));
  });
});
