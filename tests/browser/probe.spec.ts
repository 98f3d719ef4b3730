// The capability probe in real Chromium: default flags (no WebGPU adapter), a
// page without cross-origin isolation, and --enable-unsafe-webgpu (SwiftShader);
// then the app's Diagnostics tab and its JSON export.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { ModelPlanResult, PlannerModel } from '../../src/core/planner';
import type { ProbeReport } from '../../src/core/probeReport';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { expect, test } from '../support/fixtures';
import { mnist, smollm2, stories260k, variantKey } from '../unit/planner/catalog';

const GiB = 1024 ** 3;

interface Harness {
  runProbe(): Promise<ProbeReport>;
  planModel(report: ProbeReport, model: PlannerModel): ModelPlanResult;
}

async function probe(page: Page, url: string): Promise<ProbeReport> {
  await page.goto(`${url}probe.html`);
  const report = await page.evaluate(() =>
    (window as unknown as { harness: Harness }).harness.runProbe(),
  );
  await record(report);
  return report;
}

async function plan(page: Page, report: ProbeReport, model: PlannerModel) {
  return page.evaluate(
    ([r, m]) => (window as unknown as { harness: Harness }).harness.planModel(r, m),
    [report, model] as const,
  );
}

/** PROBE_RECORD_DIR=… saves each report, to refresh tests/unit/planner/devices/. */
async function record(report: ProbeReport) {
  const dir = process.env.PROBE_RECORD_DIR;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  const name = `chromium-${report.webgpu.adapter ? 'swiftshader' : 'default'}${report.isolation.crossOriginIsolated ? '' : '-not-isolated'}.json`;
  await writeFile(resolve(dir, name), `${JSON.stringify(report, null, 2)}\n`);
}

test('the probe reads Chromium with default flags: wasm features, isolation, OPFS in a worker, no WebGPU adapter', async ({
  page,
  servers,
}) => {
  const report = await probe(page, servers.harness.url);

  expect(report.issues).toEqual([]);
  expect(report.platform).toMatchObject({ os: 'linux', engine: 'blink', mobile: false });
  expect(['chrome', 'chromium']).toContain(report.platform.browser);
  expect(report.wasm).toEqual({
    supported: true,
    simd: true,
    relaxedSimd: true,
    threads: true,
    sharedMemory: true,
    memory64: true,
    jspi: true,
  });
  expect(report.isolation).toEqual({ crossOriginIsolated: true, sharedArrayBuffer: true });
  expect(report.storage).toMatchObject({ opfs: true, workerOpfs: true, syncAccessHandle: true });
  expect(report.storage.quotaBytes).toBeGreaterThan(0);
  expect(report.device.cores).toBeGreaterThanOrEqual(1);
  // navigator.gpu exists, but without --enable-unsafe-webgpu this headless Linux build gives no adapter.
  expect(report.webgpu).toEqual({ api: true, adapter: null });
  expect(report.webnn).toEqual({ api: false, context: false });
  // Chromium has the Prompt API's global but no model behind it.
  expect(report.promptApi).toEqual({ api: true, availability: 'unavailable' });
  // The report is plain data: it survives JSON unchanged.
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  // The worker's test file is gone: probing leaves nothing behind in OPFS.
  const leftovers = await page.evaluate(async () => {
    const names: string[] = [];
    const root = (await navigator.storage.getDirectory()) as unknown as {
      keys(): AsyncIterable<string>;
    };
    for await (const name of root.keys()) names.push(name);
    return names.filter((n) => n.startsWith('.runanywhere-probe'));
  });
  expect(leftovers).toEqual([]);

  const smol = await plan(page, report, smollm2);
  expect(smol.plans.map(variantKey)).toEqual(['wasm/q8', 'wasm/q4']);
  expect(smol.refused.map((r) => variantKey(r.variant))).toEqual([
    'webgpu/q4f16',
    'webgpu/fp16',
    'webgpu/q4',
  ]);
  for (const refusal of smol.refused) {
    expect(refusal.reasons).toContain(
      'needs WebGPU: the browser offers no adapter (GPU blocked or disabled)',
    );
  }
  const cores = report.device.cores ?? 1;
  expect(smol.plans[0]?.threads).toBe(Math.min(cores, 4));
});

test('a page that is not cross-origin isolated gets no SharedArrayBuffer and single-threaded plans', async ({
  page,
  servers,
}) => {
  // The same real page and server, with the isolation headers removed on the way.
  await page.route('**/probe.html', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  const report = await probe(page, servers.harness.url);

  expect(report.isolation).toEqual({ crossOriginIsolated: false, sharedArrayBuffer: false });
  expect(report.wasm.threads).toBe(true); // the engine still validates atomics
  expect(report.wasm.sharedMemory).toBe(false);

  const result = await plan(page, report, stories260k);
  expect(result.plans).toHaveLength(1);
  expect(result.plans[0]).toMatchObject({ backend: 'wasm', dtype: 'fp32', threads: 1 });
  expect(result.plans[0]?.reasons).toContain('no threads: page is not cross-origin isolated');
});

test('with --enable-unsafe-webgpu the probe finds the SwiftShader fallback adapter: 1 GiB buffers, subgroups, no shader-f16', async ({
  servers,
}) => {
  const profile = await mkdtemp(join(tmpdir(), 'runanywhere-webgpu-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const report = await probe(page, servers.harness.url);
    const adapter = report.webgpu.adapter;

    expect(adapter).not.toBeNull();
    expect(adapter?.isFallbackAdapter).toBe(true);
    expect(adapter?.architecture).toBe('swiftshader');
    expect(adapter?.features).toContain('subgroups');
    expect(adapter?.features).not.toContain('shader-f16');
    expect(adapter?.limits).toEqual({ maxBufferSize: GiB, maxStorageBufferBindingSize: GiB });

    const smol = await plan(page, report, smollm2);
    // Software WebGPU works but is slower than WASM: the WASM plans come first.
    expect(smol.plans.map(variantKey)).toEqual(['wasm/q8', 'wasm/q4', 'webgpu/q4']);
    expect(smol.plans[2]?.reasons[0]).toMatch(
      /software fallback adapter.*slower than WASM for LLMs/,
    );
    expect(smol.refused.map((r) => [variantKey(r.variant), r.reasons])).toEqual([
      ['webgpu/q4f16', ['needs WebGPU shader-f16']],
      ['webgpu/fp16', ['needs WebGPU shader-f16']],
    ]);
    const digits = await plan(page, report, mnist);
    expect(digits.plans.map(variantKey)).toEqual(['wasm/fp32', 'webgpu/fp32']);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('the Diagnostics tab shows the probe report and the demo model’s plan, and exports both as JSON', async ({
  page,
  servers,
}) => {
  await page.goto(servers.app.url);
  await page.getByRole('button', { name: 'Diagnostics' }).click();

  const view = page.getByTestId('diagnostics');
  await expect(view.getByTestId('probe-report')).toContainText('WebAssembly');
  await expect(view.getByTestId('probe-report')).toContainText('Cross-origin isolated');
  const demo = view.getByTestId('plan-stories260k');
  await expect(demo).toContainText('wasm · fp32');
  await expect(demo).toContainText('threads: cross-origin isolated');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    view.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^runanywhere-diagnostics-.*\.json$/);
  const path = await download.path();
  const exported = JSON.parse(await readFile(path, 'utf8')) as {
    probe: ProbeReport;
    models: Array<{ id: string; plan: ModelPlanResult | null }>;
  };
  expect(exported.probe.wasm.simd).toBe(true);
  expect(exported.probe.storage.syncAccessHandle).toBe(true);
  const demoExport = exported.models.find((m) => m.id === 'stories260k');
  expect(demoExport?.plan?.plans[0]).toMatchObject({ backend: 'wasm', dtype: 'fp32' });
});
