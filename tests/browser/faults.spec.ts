// Fault injection: hundreds of seeded, reproducible scenarios in real Chromium
// against the real model server mixing drops, stalls, 5xx/429, ignored Range,
// wrong Content-Range, truncation, flipped bytes and files changed mid-download.
// Each must end installed with every stored byte matching the manifest, or with
// a typed error after which a resume without faults completes. Zero corrupted installs.
// FAULT_RUNS=N runs more; FAULT_SEED=S reproduces a run.

import type { StoreKind } from '../../src/storage/db';
import type { Fault } from '../../tools/serve/faults';
import { faultInjection, mulberry32, seededFaults } from '../../tools/serve/faults';
import { expect, test } from '../support/fixtures';
import {
  call,
  MODEL_ID,
  MODEL_VERSION,
  makeTestModel,
  openHarness,
  serveModel,
  storedMismatches,
} from './download-fixture';

const RUNS = Number(process.env.FAULT_RUNS ?? 200);
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1_000_000));
// invalid-manifest: a byte flipped in the manifest on every try (it carries no hash of its own).
const TYPED = [
  'not-found',
  'network',
  'http-status',
  'insufficient-storage',
  'validation-failed',
  'server-changed',
  'invalid-manifest',
];
const KINDS: Fault['kind'][] = [
  'drop',
  'stall',
  'status',
  'ignore-range',
  'wrong-content-range',
  'truncate',
  'flip-byte',
  'change-file',
];
const BACKENDS: StoreKind[] = ['opfs-sync', 'opfs-sync', 'opfs-writable', 'idb'];

test(`${RUNS} seeded fault scenarios end installed and verified, or typed and resumable`, async ({
  page,
  servers,
}) => {
  test.setTimeout(60_000 + RUNS * 6_000);
  console.log(`fault suite: FAULT_SEED=${SEED} FAULT_RUNS=${RUNS}`);
  const model = await makeTestModel();
  const server = await serveModel(model);
  const tally = {
    installed: 0,
    typedThenResumed: 0,
    corrupted: 0,
    faults: 0,
    errors: {} as Record<string, number>,
  };
  try {
    await openHarness(page, servers.harness.url);
    const url = `${server.url}/${model.manifestPath}`;
    for (let run = 0; run < RUNS; run++) {
      const seed = SEED + run;
      const random = mulberry32(seed);
      const kinds = KINDS.filter(() => random() < 0.6);
      const plan = seededFaults(seed, {
        probability: 0.05 + random() * 0.3,
        kinds: kinds.length > 0 ? kinds : KINDS,
        maxFaults: 1 + Math.floor(random() * 10),
        stallMs: 2_000,
      });
      const options = {
        connections: 1 + Math.floor(random() * 4),
        stallTimeoutMs: 250,
        progressIntervalMs: 100,
        verification: random() < 0.2 ? ('whole-file' as const) : ('chunks' as const),
        chunkSize: 40_000 + Math.floor(random() * 60_000),
        backend: BACKENDS[seed % BACKENDS.length],
        retry: {
          maxRetries: 1 + Math.floor(random() * 5),
          baseDelayMs: 2,
          maxDelayMs: 20,
          maxRetryAfterMs: 30,
        },
      };
      const where = `scenario ${run} (FAULT_SEED=${SEED}, seed ${seed}, ${JSON.stringify(options)})`;
      const faults = faultInjection(plan);
      server.setPlugins([faults]);
      const first = await within(
        30_000,
        call(page, 'run', url, options),
        () => `${where}: hung; faults ${JSON.stringify(faults.injected)}`,
      );
      await server.idle();
      server.setPlugins([]);
      await faults.restoreFiles();
      tally.faults += faults.injected.length;
      if (first.ok) {
        tally.installed++;
      } else {
        expect(TYPED, `${where}: untyped error ${JSON.stringify(first)}`).toContain(first.code);
        tally.errors[first.code] = (tally.errors[first.code] ?? 0) + 1;
        expect(
          await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION),
          `${where}: installed after an error`,
        ).toBe(false);
        const resumed = await within(
          30_000,
          call(page, 'run', url, options),
          `${where}: resume hung`,
        );
        expect(
          resumed,
          `${where}: resume without faults after ${JSON.stringify(first)} gave ${JSON.stringify(resumed)} faults ${JSON.stringify(faults.injected)}`,
        ).toMatchObject({ ok: true });
        tally.typedThenResumed++;
      }
      const mismatches = await storedMismatches(page, model);
      if (mismatches.length > 0) tally.corrupted++;
      expect(mismatches, `${where}: stored bytes differ from the manifest`).toEqual([]);
      await call(page, 'remove', MODEL_ID, MODEL_VERSION);
    }
  } finally {
    console.log(`fault suite: FAULT_SEED=${SEED} runs=${RUNS} ${JSON.stringify(tally)}`);
    await server.close();
    await model.close();
  }
  expect(tally.corrupted).toBe(0);
  expect(tally.installed + tally.typedThenResumed).toBe(RUNS);
});

/** A hung scenario fails with its seed instead of eating the whole test's time. */
function within<T>(ms: number, promise: Promise<T>, message: string | (() => string)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(typeof message === 'string' ? message : message())),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
