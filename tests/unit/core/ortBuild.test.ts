// Which onnxruntime build a load needs, and when an engine must replace its worker.

import { describe, expect, it } from 'vitest';
import {
  type OrtWorkerSetup,
  OrtWorkerSetups,
  ortBuildFor,
  workerSetupChanged,
} from '../../../src/core/ortBuild';

describe('ortBuildFor', () => {
  it.each([
    ['wasm', 'wasm'],
    ['webgpu', 'gpu'],
    ['webnn', 'gpu'],
  ] as const)('%s runs on the %s build', (backend, build) => {
    expect(ortBuildFor(backend)).toBe(build);
  });
});

describe('workerSetupChanged', () => {
  const wasm2: OrtWorkerSetup = { build: 'wasm', threads: 2 };
  it.each<[string, OrtWorkerSetup | null, OrtWorkerSetup, boolean]>([
    ['no worker yet', null, wasm2, false],
    ['the same setup', wasm2, { build: 'wasm', threads: 2 }, false],
    ['another build', wasm2, { build: 'gpu', threads: 2 }, true],
    [
      'a GPU worker asked for wasm (the plain build is faster)',
      { build: 'gpu', threads: 2 },
      wasm2,
      true,
    ],
    ['another thread count', wasm2, { build: 'wasm', threads: 1 }, true],
    ['a thread count where the default ran', { build: 'wasm', threads: undefined }, wasm2, true],
  ])('%s', (_name, running, wanted, changed) => {
    expect(workerSetupChanged(running, wanted)).toBe(changed);
  });
});

describe('OrtWorkerSetups', () => {
  function fakeWorker() {
    const ended: string[] = [];
    return { running: true, ended, terminate: (why: string) => void ended.push(why) };
  }

  it('keeps the worker for loads with the same build and threads', () => {
    const setups = new OrtWorkerSetups();
    const worker = fakeWorker();
    setups.beforeLoad({ device: 'wasm', threads: 2 }, worker);
    setups.beforeLoad({ device: 'wasm', threads: 2 }, worker);
    expect(worker.ended).toEqual([]);
  });

  it('ends the worker before a load that needs the other build', () => {
    const setups = new OrtWorkerSetups();
    const worker = fakeWorker();
    setups.beforeLoad({ device: 'wasm' }, worker);
    setups.beforeLoad({ device: 'webgpu' }, worker);
    expect(worker.ended).toHaveLength(1);
  });

  it('leaves a worker that is not running alone', () => {
    const setups = new OrtWorkerSetups();
    const worker = { ...fakeWorker(), running: false };
    setups.beforeLoad({ device: 'wasm' }, worker);
    setups.beforeLoad({ device: 'webgpu' }, worker);
    expect(worker.ended).toEqual([]);
  });
});
