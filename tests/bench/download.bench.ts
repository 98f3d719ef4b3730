// Download benchmark (`npm run bench:download`): our engine downloading a
// 512 MiB model (chunk hashes) into OPFS in real Chromium, against a baseline
// that fetches the same file and discards it, in the same browser run; then a
// file four times larger, and whole-file verification. Prints a table and, as
// the last line, one JSON object. Never fails on time.
//
// Knobs: BENCH_MIB (512), BENCH_LARGE_FACTOR (4), BENCH_RUNS (3),
// BENCH_SWEEP=1 (also the engine under other options, and stripped-down
// prototypes that show what each stage costs; see docs/benchmarks.md),
// BENCH_LINK_MIBPS=N (every response shares one N MiB/s link, as over a real
// line, instead of loopback's CPU-bound speed).

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CDPSession, chromium } from '@playwright/test';
import { build } from 'vite';
import type { EngineOptions } from '../../src/download/engineOptions';
import { engineSettings } from '../../src/download/engineOptions';
import { createAppServer } from '../../tools/serve/appServer';
import { sharedLink } from '../../tools/serve/link';
import { createModelServer } from '../../tools/serve/modelServer';
import { harnessConfig } from '../../vite.harness.config';
import type { BenchPage } from '../browser/pages/bench-download';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { type BenchPackage, MIB, makeBenchPackage } from './support/benchModel';
import { type Cleanups, runInWorkspace } from './support/benchWorkspace';
import { BrowserMemorySampler, cpuSecondsByType, findBrowserPid } from './support/browserMemory';
import { type Measured, printReport, type Series } from './support/downloadReport';
import { runSweep, type SweepRow } from './support/downloadSweep';

const SIZE_MIB = envNumber('BENCH_MIB', 512);
const LARGE_FACTOR = envNumber('BENCH_LARGE_FACTOR', 4);
const RUNS = envNumber('BENCH_RUNS', 3);
const SWEEP = process.env.BENCH_SWEEP === '1';
const LINK_MIBPS = process.env.BENCH_LINK_MIBPS ? envNumber('BENCH_LINK_MIBPS', 1) : null;
const SETTLE_MS = 1500;

declare global {
  interface Window {
    benchDownload: BenchPage;
  }
}

async function run(tmp: string, cleanups: Cleanups): Promise<void> {
  const root = join(tmp, 'models');
  const profile = join(tmp, 'profile');
  const chunkSize = 8 * MIB;
  log(`generating ${SIZE_MIB} MiB and ${SIZE_MIB * LARGE_FACTOR} MiB of seeded bytes in ${tmp}`);
  const small = await makeBenchPackage(root, {
    id: 'bench-small',
    size: SIZE_MIB * MIB,
    seed: 1,
    chunkSize,
  });
  const large = await makeBenchPackage(root, {
    id: 'bench-large',
    size: SIZE_MIB * LARGE_FACTOR * MIB,
    seed: 2,
    chunkSize,
  });

  // Built into the temp dir: other test runs may rebuild dist-harness/ under a running benchmark.
  log('building the harness page');
  const pages = join(tmp, 'harness');
  const config = harnessConfig('bench-download');
  await build({ ...config, build: { ...config.build, outDir: pages } });
  if (LINK_MIBPS) log(`every response shares one ${LINK_MIBPS} MiB/s link`);
  const models = await createModelServer({
    root,
    plugins: LINK_MIBPS ? [sharedLink(LINK_MIBPS * MIB)] : [],
  });
  const harness = await createAppServer({ root: pages });
  cleanups.push(
    () => models.close(),
    () => harness.close(),
  );

  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await grantPersistence(cdp, harness.url);
  page.on('console', (m) => m.type() === 'error' && log(`page: ${m.text()}`));
  await page.goto(`${harness.url}bench-download.html`);
  await page.waitForFunction(() => 'benchDownload' in window);
  await page.evaluate(() => window.benchDownload.warm());

  const pid = findBrowserPid(profile);
  if (pid === null) throw new Error(`no Chromium process found for profile ${profile}`);
  const sampler = new BrowserMemorySampler(pid, 50);
  sampler.start();
  cleanups.push(async () => sampler.stop());

  /**
   * One timed run: clear OPFS, let memory settle (a simulated memory-pressure
   * signal makes every process collect garbage and return free pages, so no
   * run pays for the garbage of the one before), then sample the run's peak.
   */
  const measure = async (label: string, call: () => Promise<{ ms: number; bytes: number }>) => {
    await page.evaluate(() => window.benchDownload.clear());
    await cdp.send('Memory.simulatePressureNotification', { level: 'critical' }).catch(() => {});
    await sleep(SETTLE_MS / 3);
    sampler.window(); // drop what came before: idle is the quiet level just before the run
    await sleep(SETTLE_MS);
    const idle = sampler.window().median;
    const pids = sampler.processes();
    const cpuBefore = cpuSecondsByType(pids);
    const serverBefore = process.cpuUsage();
    try {
      const { ms, bytes } = await call();
      const peak = sampler.window().peak;
      const gib = bytes / (1024 * MIB);
      const cpuAfter = cpuSecondsByType(pids);
      // This process serves the files and samples /proc: its CPU is mostly the model server's.
      const node = process.cpuUsage(serverBefore);
      const cpuPerGiB: Record<string, number> = {
        'node-server': (node.user + node.system) / 1e6 / gib,
      };
      for (const [type, s] of Object.entries(cpuAfter))
        cpuPerGiB[type] = (s - (cpuBefore[type] ?? 0)) / gib;
      const m: Measured = {
        mibps: bytes / MIB / (ms / 1000),
        peakMiB: (peak - idle) / MIB,
        ms,
        cpuPerGiB,
      };
      log(`${label}: ${m.mibps.toFixed(0)} MiB/s, peak +${m.peakMiB.toFixed(0)} MiB`);
      return m;
    } catch (error) {
      sampler.window();
      log(`${label}: FAILED ${error instanceof Error ? error.message : String(error)}`);
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
  const fileUrl = (p: BenchPackage) => `${models.url}${p.filePath}`;
  const ours = async (p: BenchPackage, options: EngineOptions = {}) => {
    const manifestUrl = `${models.url}${await p.newVersion()}`;
    return () =>
      page.evaluate(([url, o]) => window.benchDownload.ours(url, o), [
        manifestUrl,
        options,
      ] as const);
  };

  const series: Record<string, Series> = { baseline: [], ours: [], wholeFile: [], large: [] };
  for (let i = 0; i < RUNS; i++) {
    series.baseline?.push(
      await measure(`baseline #${i + 1}`, () =>
        page.evaluate((url) => window.benchDownload.baseline(url), fileUrl(small)),
      ),
    );
    series.ours?.push(await measure(`ours #${i + 1}`, await ours(small)));
  }
  for (let i = 0; i < RUNS; i++) {
    series.wholeFile?.push(
      await measure(
        `ours, whole-file hash #${i + 1}`,
        await ours(small, { verification: 'whole-file' }),
      ),
    );
  }
  series.large?.push(await measure(`ours, ${SIZE_MIB * LARGE_FACTOR} MiB`, await ours(large)));

  let sweep: SweepRow[] = [];
  if (SWEEP) {
    const variant = (id: string, mib: number) =>
      makeBenchPackage(root, {
        id,
        size: small.manifest.files[0]?.size ?? 0,
        seed: 1,
        chunkSize: mib * MIB,
        sameBytesAs: small,
      });
    const packages = {
      c8: small,
      c4: await variant('bench-c4', 4),
      c16: await variant('bench-c16', 16),
    };
    sweep = await runSweep(
      {
        measure,
        baseline: () => page.evaluate((url) => window.benchDownload.baseline(url), fileUrl(small)),
        engine: ours,
        prototype: (options) =>
          page.evaluate(([url, size, o]) => window.benchDownload.prototype(url, size, o), [
            fileUrl(small),
            SIZE_MIB * MIB,
            options,
          ] as const),
      },
      packages,
      RUNS,
    );
  }
  await page.evaluate(() => window.benchDownload.clear());
  printReport({
    sizeMiB: SIZE_MIB,
    largeSizeMiB: SIZE_MIB * LARGE_FACTOR,
    runs: RUNS,
    linkMiBps: LINK_MIBPS,
    // The baseline is one GET (fetchAndDiscard); ours uses the engine's default.
    connections: { baseline: 1, ours: engineSettings().connections },
    series,
    sweep,
  });
}

/** Lets the origin persist storage, as a user granting it would (CDP; best effort). */
async function grantPersistence(cdp: CDPSession, origin: string) {
  try {
    await cdp.send('Browser.grantPermissions', {
      origin: new URL(origin).origin,
      permissions: ['durableStorage'],
    });
  } catch (error) {
    log(`could not grant durableStorage: ${error instanceof Error ? error.message : error}`);
  }
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0)) throw new Error(`${name} must be a positive number`);
  return value;
}

function log(message: string): void {
  console.log(`[bench:download] ${message}`);
}

await runInWorkspace('bench-download-', run);
