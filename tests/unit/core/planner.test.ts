// The planner on every recorded device class and every catalog model: which
// variants run, in which order, with how many threads, and which are refused.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { bestPlan, planModel, requirePlan } from '../../../src/core/planner';
import { bigLlm, builtinNano, midLlm, smollm2, TEST_CATALOG, variantKey } from '../planner/catalog';
import { type DeviceName, device } from '../planner/devices';

interface Expected {
  threads: number;
  /** Per model id: the plans best first, the refused variants in manifest order, and threads when they differ. */
  models: Record<string, { plans: string[]; refused: string[]; threads?: number }>;
}

const SMOL_ALL_GPU = ['webgpu/q4f16', 'webgpu/q4', 'webgpu/fp16', 'wasm/q8', 'wasm/q4'];
const SMOL_WASM_ONLY = {
  plans: ['wasm/q8', 'wasm/q4'],
  refused: ['webgpu/q4f16', 'webgpu/fp16', 'webgpu/q4'],
};
// Safari 26: onnxruntime-web's WebGPU ranks below WASM (onnxruntime#26827).
const SMOL_SAFARI_26 = {
  plans: ['wasm/q8', 'wasm/q4', 'webgpu/q4f16', 'webgpu/q4', 'webgpu/fp16'],
  refused: [],
};
const BIG_ALL = ['webgpu/q4f16', 'webgpu/q4', 'wasm/q8'];
// The 360M model: its 420 MB q8 file peaks near 1.6 GB, over any iPhone or iPad tab.
const MID_ALL_GPU = {
  plans: ['webgpu/q4f16', 'webgpu/fp16', 'wasm/q8', 'wasm/q4'],
  refused: [],
};
const MID_WASM_ONLY = { plans: ['wasm/q8', 'wasm/q4'], refused: ['webgpu/q4f16', 'webgpu/fp16'] };
const MID_IPAD_26 = { plans: ['wasm/q4', 'webgpu/q4f16'], refused: ['webgpu/fp16', 'wasm/q8'] };
const STORIES = { plans: ['wasm/fp32'], refused: [] };
const MNIST_GPU = { plans: ['webgpu/fp32', 'wasm/fp32'], refused: [] };
const MNIST_CPU = { plans: ['wasm/fp32'], refused: ['webgpu/fp32'] };
const MNIST_SAFARI_26 = { plans: ['wasm/fp32', 'webgpu/fp32'], refused: [] };
// LiteRT.js runs one thread here: threads need relaxed SIMD, and hung inside a worker.
const TFLITE_GPU = { plans: ['webgpu/fp32', 'wasm/int8', 'wasm/fp32'], refused: [], threads: 1 };
const TFLITE_CPU = { plans: ['wasm/int8', 'wasm/fp32'], refused: ['webgpu/fp32'], threads: 1 };
const NO_BUILTIN = { plans: [], refused: ['wasm/q4'] };

const EXPECTED: Record<DeviceName, Expected> = {
  // WebGPU with shader-f16, but onnxruntime-web's WebGPU ranks below WASM in
  // Safari 26 (LiteRT.js keeps it), and every tab lives under 1.5 GB: the 360M
  // model's q8 and fp16 and the 1.5B model are refused, its q4 is chosen.
  'ipad-safari-26': {
    threads: 4,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_SAFARI_26,
      'mid-0.8b-instruct': MID_IPAD_26,
      mnist: MNIST_SAFARI_26,
      'mobilenet-v2-tflite': TFLITE_GPU,
      'qwen2.5-1.5b-instruct': { plans: [], refused: BIG_ALL },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  // The same iPad on Safari 26.2: one thread (growable shared memory breaks with threads).
  'ipad-safari-26-2': {
    threads: 1,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_SAFARI_26,
      'mid-0.8b-instruct': MID_IPAD_26,
      mnist: MNIST_SAFARI_26,
      'mobilenet-v2-tflite': TFLITE_GPU,
      'qwen2.5-1.5b-instruct': { plans: [], refused: BIG_ALL },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  // A Mac on Safari 26.1: no memory hint, so no budget; WebGPU below WASM for onnxruntime-web.
  'mac-safari-26': {
    threads: 4,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_SAFARI_26,
      'mid-0.8b-instruct': {
        plans: ['wasm/q8', 'wasm/q4', 'webgpu/q4f16', 'webgpu/fp16'],
        refused: [],
      },
      mnist: MNIST_SAFARI_26,
      'mobilenet-v2-tflite': TFLITE_GPU,
      'qwen2.5-1.5b-instruct': { plans: ['wasm/q8', 'webgpu/q4f16', 'webgpu/q4'], refused: [] },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  // No WebGPU in Safari 18: WASM only, and the 1.5 GB budget refuses the big
  // model and the 360M model's q8: its q4 is chosen.
  'iphone-safari-18': {
    threads: 4,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_WASM_ONLY,
      'mid-0.8b-instruct': {
        plans: ['wasm/q4'],
        refused: ['webgpu/q4f16', 'webgpu/fp16', 'wasm/q8'],
      },
      mnist: MNIST_CPU,
      'mobilenet-v2-tflite': TFLITE_CPU,
      'qwen2.5-1.5b-instruct': { plans: [], refused: BIG_ALL },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  'mac-chrome-m2': {
    threads: 4,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': { plans: SMOL_ALL_GPU, refused: [] },
      'mid-0.8b-instruct': MID_ALL_GPU,
      mnist: MNIST_GPU,
      'mobilenet-v2-tflite': TFLITE_GPU,
      'qwen2.5-1.5b-instruct': { plans: BIG_ALL, refused: [] },
      'builtin-prompt-api': { plans: ['builtin/q4'], refused: [] },
    },
  },
  'windows-chrome-rtx4070': {
    threads: 4,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': { plans: SMOL_ALL_GPU, refused: [] },
      'mid-0.8b-instruct': MID_ALL_GPU,
      mnist: MNIST_GPU,
      'mobilenet-v2-tflite': TFLITE_GPU,
      'qwen2.5-1.5b-instruct': { plans: BIG_ALL, refused: [] },
      'builtin-prompt-api': { plans: ['builtin/q4'], refused: [] },
    },
  },
  // A real GPU without shader-f16 and 128 MiB storage bindings; half of 4 GB for a model.
  'android-chrome-midrange': {
    threads: 4,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': {
        plans: ['webgpu/q4', 'wasm/q8', 'wasm/q4'],
        refused: ['webgpu/q4f16', 'webgpu/fp16'],
      },
      'mid-0.8b-instruct': MID_WASM_ONLY,
      mnist: MNIST_GPU,
      'mobilenet-v2-tflite': TFLITE_GPU,
      'qwen2.5-1.5b-instruct': { plans: [], refused: BIG_ALL },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  'firefox-linux': {
    threads: 4,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_WASM_ONLY,
      'mid-0.8b-instruct': MID_WASM_ONLY,
      mnist: MNIST_CPU,
      'mobilenet-v2-tflite': TFLITE_CPU,
      'qwen2.5-1.5b-instruct': { plans: ['wasm/q8'], refused: ['webgpu/q4f16', 'webgpu/q4'] },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  // Recorded here: 2 cores, no adapter, the Prompt API present but unavailable.
  'chromium-default': {
    threads: 2,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_WASM_ONLY,
      'mid-0.8b-instruct': MID_WASM_ONLY,
      mnist: MNIST_CPU,
      'mobilenet-v2-tflite': TFLITE_CPU,
      'qwen2.5-1.5b-instruct': { plans: ['wasm/q8'], refused: ['webgpu/q4f16', 'webgpu/q4'] },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  'chromium-default-not-isolated': {
    threads: 1,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_WASM_ONLY,
      'mid-0.8b-instruct': MID_WASM_ONLY,
      mnist: MNIST_CPU,
      'mobilenet-v2-tflite': TFLITE_CPU,
      'qwen2.5-1.5b-instruct': { plans: ['wasm/q8'], refused: ['webgpu/q4f16', 'webgpu/q4'] },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  // SwiftShader: usable, ranked below WASM; no shader-f16; 1 GiB buffers refuse a 1.3 GB file.
  'chromium-swiftshader': {
    threads: 2,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': {
        plans: ['wasm/q8', 'wasm/q4', 'webgpu/q4'],
        refused: ['webgpu/q4f16', 'webgpu/fp16'],
      },
      'mid-0.8b-instruct': MID_WASM_ONLY,
      mnist: { plans: ['wasm/fp32', 'webgpu/fp32'], refused: [] },
      'mobilenet-v2-tflite': {
        plans: ['wasm/int8', 'wasm/fp32', 'webgpu/fp32'],
        refused: [],
        threads: 1,
      },
      'qwen2.5-1.5b-instruct': { plans: ['wasm/q8'], refused: ['webgpu/q4f16', 'webgpu/q4'] },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
  // Recorded in WebKitGTK: isolated, but no SharedArrayBuffer, so one thread; no WebGPU.
  'webkitgtk-linux': {
    threads: 1,
    models: {
      stories260k: STORIES,
      'smollm2-135m-instruct': SMOL_WASM_ONLY,
      'mid-0.8b-instruct': MID_WASM_ONLY,
      mnist: MNIST_CPU,
      'mobilenet-v2-tflite': TFLITE_CPU,
      'qwen2.5-1.5b-instruct': { plans: ['wasm/q8'], refused: ['webgpu/q4f16', 'webgpu/q4'] },
      'builtin-prompt-api': NO_BUILTIN,
    },
  },
};

describe('planModel on each device class', () => {
  for (const [name, expected] of Object.entries(EXPECTED) as Array<[DeviceName, Expected]>) {
    describe(name, () => {
      const report = device(name);
      for (const model of TEST_CATALOG) {
        const want = expected.models[model.id];
        it(`plans ${model.id}: ${want?.plans.join(' > ') || 'nothing'}`, () => {
          const result = planModel(report, model);
          expect(result.modelId).toBe(model.id);
          expect(result.plans.map(variantKey)).toEqual(want?.plans);
          expect(result.refused.map((r) => variantKey(r.variant))).toEqual(want?.refused);
          for (const plan of result.plans) {
            const threads = plan.backend === 'builtin' ? 0 : (want?.threads ?? expected.threads);
            expect(plan.threads).toBe(threads);
            expect(plan.reasons.length).toBeGreaterThan(0);
          }
          for (const refusal of result.refused) expect(refusal.reasons.length).toBeGreaterThan(0);
          // Every variant gets exactly one verdict.
          expect(result.plans.length + result.refused.length).toBe(model.variants.length);
        });
      }
    });
  }
});

describe('the verdicts users read', () => {
  it('refuses the 1.5B model on an iPad with its estimated peak and the per-tab budget', () => {
    const result = planModel(device('ipad-safari-26'), bigLlm);
    expect(result.refused[0]?.reasons).toEqual([
      "est. 2.6 GB peak (148 MB + 1.9× file, fallback: none measured for q4f16 webgpu): over this iPad's 1.5 GB per-tab budget",
    ]);
  });

  it('on an iPad refuses the q8 that would not fit and loads the smaller q4', () => {
    const report = device('ipad-safari-26-2');
    const result = planModel(report, midLlm);
    const q8 = result.refused.find((r) => variantKey(r.variant) === 'wasm/q8');
    expect(q8?.reasons).toEqual([
      "est. 1.9 GB peak (148 MB + 1.9× file, measured q8 wasm): over this iPad's 1.5 GB per-tab budget",
    ]);
    const best = bestPlan(report, midLlm);
    expect(best && variantKey(best)).toBe('wasm/q4');
    expect(best?.reasons).toContain(
      "fits: est. 836 MB peak (146 MB + 2.0× file, measured q4 wasm) within this iPad's 1.5 GB per-tab budget",
    );
    // The same model on a desktop without a budget loads the faster q8.
    const desktop = bestPlan(device('chromium-default'), midLlm);
    expect(desktop && variantKey(desktop)).toBe('wasm/q8');
  });

  it('on Safari 26.2 runs one thread and says why', () => {
    const plan = bestPlan(device('ipad-safari-26-2'), smollm2);
    expect(plan?.threads).toBe(1);
    expect(plan?.reasons).toContain(
      '1 thread: Safari 26.2 breaks growable shared memory used by several threads (WebKit bug 303387)',
    );
  });

  it('on Safari 26 ranks onnxruntime-web’s WebGPU below WASM and says why', () => {
    const plan = planModel(device('mac-safari-26'), smollm2).plans[2];
    expect(plan && variantKey(plan)).toBe('webgpu/q4f16');
    expect(plan?.reasons.slice(0, 2)).toEqual([
      'WebGPU on a hardware adapter (apple metal-3)',
      'WebGPU through onnxruntime-web in Safari 26: ranked below WASM, WebKit keeps compiling its wasm and the tab’s memory grows until it is killed (onnxruntime#26827)',
    ]);
  });

  it('ranks the SwiftShader adapter below WASM and says why', () => {
    const plan = planModel(device('chromium-swiftshader'), smollm2).plans[2];
    expect(plan?.reasons[0]).toBe(
      'WebGPU on a software fallback adapter (google swiftshader): usable, but slower than WASM for LLMs',
    );
  });

  const cpuOnly = (framework: 'transformers' | 'onnx') => ({
    id: 'cpu-only',
    framework,
    task: 'text-generation',
    variants: (['q4', 'fp32', 'q8'] as const).map((dtype) => ({
      backend: 'wasm' as const,
      dtype,
      memoryBytes: 50_000_000,
      files: [],
      requiredFeatures: [],
    })),
  });

  it('on WebAssembly with transformers.js ranks q8, then q4 (rewritten to int8 kernels at install), then fp32', () => {
    const plans = planModel(device('iphone-safari-18'), cpuOnly('transformers')).plans;
    expect(plans.map((p) => p.dtype)).toEqual(['q8', 'q4', 'fp32']);
    expect(plans[1]?.reasons).toContain(
      'q4 rewritten to int8 kernels (at install, else at load): about q8 speed, half the download',
    );
  });

  it('on WebAssembly with raw onnxruntime ranks q4 last: MatMulNBits has no packed CPU kernel there', () => {
    const dtypes = planModel(device('iphone-safari-18'), cpuOnly('onnx')).plans.map((p) => p.dtype);
    expect(dtypes).toEqual(['q8', 'fp32', 'q4']);
  });

  it('explains the built-in model by its availability', () => {
    expect(bestPlan(device('windows-chrome-rtx4070'), builtinNano)?.reasons).toEqual([
      'built into the browser and ready: nothing to download',
    ]);
    expect(bestPlan(device('mac-chrome-m2'), builtinNano)?.reasons).toEqual([
      'built into the browser; it downloads the model on first use',
    ]);
    expect(planModel(device('chromium-default'), builtinNano).refused[0]?.reasons).toEqual([
      'the built-in model is unavailable on this device',
    ]);
  });
});

describe('bestPlan and requirePlan', () => {
  it('bestPlan picks the top-ranked plan for loading', () => {
    expect(bestPlan(device('mac-chrome-m2'), smollm2)).toMatchObject({
      backend: 'webgpu',
      dtype: 'q4f16',
      threads: 4,
    });
    expect(bestPlan(device('iphone-safari-18'), smollm2)).toMatchObject({
      backend: 'wasm',
      dtype: 'q8',
    });
  });

  it('bestPlan returns null when no variant fits', () => {
    expect(bestPlan(device('iphone-safari-18'), bigLlm)).toBeNull();
  });

  it('requirePlan throws unsupported-device listing every refused variant with its reasons', () => {
    let thrown: unknown;
    try {
      requirePlan(device('iphone-safari-18'), bigLlm);
    } catch (error) {
      thrown = error;
    }
    expect(AppError.is(thrown, 'unsupported-device')).toBe(true);
    const details = (thrown as AppError).details as {
      modelId: string;
      refused: Array<{ backend: string; dtype: string; reasons: string[] }>;
    };
    expect(details.modelId).toBe(bigLlm.id);
    expect(details.refused.map((r) => `${r.backend}/${r.dtype}`)).toEqual(BIG_ALL);
    expect(details.refused[2]?.reasons).toEqual([
      "est. 3.7 GB peak (148 MB + 1.9× file, measured q8 wasm): over this iPhone's 1.5 GB per-tab budget",
    ]);
  });
});
