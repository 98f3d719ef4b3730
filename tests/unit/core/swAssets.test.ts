// Table-driven tests for sorting built files into the app shell precache and
// the per-runtime caches.

import { describe, expect, it } from 'vitest';
import { runtimesFor, sortBuiltFiles } from '../../../src/core/swAssets';

// The files of a real build (vite build of this repo, source maps left out).
const BUILD = [
  'assets/diagnosticsExport-BcvGdpxi.js',
  'assets/download.worker-Brhb7CsC.js',
  'assets/hash.worker-Boxihlt9.js',
  'assets/index-CsAPHifD.css',
  'assets/index-Do4iDXPk.js',
  'assets/index-Do4iDXPk.js.map',
  'assets/litert_wasm_compat_internal-33YBP2yd.wasm',
  'assets/litert_wasm_compat_internal-CdTVzIwr.js',
  'assets/litert_wasm_internal-DMDCqQ93.js',
  'assets/litert_wasm_internal-xlFQpo4H.wasm',
  'assets/onnx.worker-nZjWpqqz.js',
  'assets/ort-wasm-simd-threaded-4byDm7i3.wasm',
  'assets/ort-wasm-simd-threaded-BQJNh0bu.mjs',
  'assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm',
  'assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm.br',
  'assets/runProbe-BLT4lylB.js',
  'assets/tflite.worker-CqMd7-Cn.js',
  'assets/tfliteWorkerMain-DPJP8UT1.js',
  'assets/tflite_web_api_cc_simd-BiUDgoVV.js',
  'assets/tflite_web_api_cc_simd-BqFU4_JR.wasm',
  'assets/transformers.worker-CDGpXwA6.js',
  'config.json',
  'icons/icon-192.png',
  'index.html',
  'index.html.gz',
  'manifest.webmanifest',
  'sw.js',
];

describe('sortBuiltFiles', () => {
  const assets = sortBuiltFiles(BUILD);

  it('precaches the app shell only', () => {
    expect(assets.precache).toEqual([
      'assets/diagnosticsExport-BcvGdpxi.js',
      'assets/download.worker-Brhb7CsC.js',
      'assets/hash.worker-Boxihlt9.js',
      'assets/index-CsAPHifD.css',
      'assets/index-Do4iDXPk.js',
      'assets/runProbe-BLT4lylB.js',
      'icons/icon-192.png',
      'index.html',
      'manifest.webmanifest',
    ]);
  });

  const runtimes: Array<[keyof typeof assets.runtimes, string[]]> = [
    [
      'transformers',
      [
        'assets/ort-wasm-simd-threaded-4byDm7i3.wasm',
        'assets/ort-wasm-simd-threaded-BQJNh0bu.mjs',
        'assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm',
        'assets/transformers.worker-CDGpXwA6.js',
      ],
    ],
    [
      'onnx',
      [
        'assets/onnx.worker-nZjWpqqz.js',
        'assets/ort-wasm-simd-threaded-4byDm7i3.wasm',
        'assets/ort-wasm-simd-threaded-BQJNh0bu.mjs',
        'assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm',
      ],
    ],
    [
      'tflite',
      [
        'assets/litert_wasm_compat_internal-33YBP2yd.wasm',
        'assets/litert_wasm_compat_internal-CdTVzIwr.js',
        'assets/litert_wasm_internal-DMDCqQ93.js',
        'assets/litert_wasm_internal-xlFQpo4H.wasm',
        'assets/tflite.worker-CqMd7-Cn.js',
        'assets/tfliteWorkerMain-DPJP8UT1.js',
        'assets/tflite_web_api_cc_simd-BiUDgoVV.js',
        'assets/tflite_web_api_cc_simd-BqFU4_JR.wasm',
      ],
    ],
  ];
  it.each(runtimes)('gives the %s runtime its own files', (runtime, files) => {
    expect(assets.runtimes[runtime]).toEqual(files);
  });

  it('leaves source maps, the SW, config.json and compressed copies out of every cache', () => {
    expect(assets.ignored).toEqual([
      'assets/index-Do4iDXPk.js.map',
      'assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm.br',
      'config.json',
      'index.html.gz',
      'sw.js',
    ]);
  });

  const unowned: string[] = [
    'assets/new-runtime-AbCdEf12.wasm',
    'assets/some-runtime-AbCdEf12.mjs',
  ];
  it.each(unowned)('refuses %s, runtime code no runtime claims', (file) => {
    expect(() => sortBuiltFiles([...BUILD, file])).toThrow(/belongs to no runtime/);
  });
});

describe('runtimesFor', () => {
  const cases: Array<[Parameters<typeof runtimesFor>[0], string[]]> = [
    ['transformers', ['transformers']],
    ['onnx', ['onnx']],
    ['tflite', ['tflite']],
    ['builtin', []],
  ];
  it.each(cases)('%s needs %j', (framework, runtimes) => {
    expect(runtimesFor(framework)).toEqual(runtimes);
  });
});
