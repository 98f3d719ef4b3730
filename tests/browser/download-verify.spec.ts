// Whole-file checks in real Chromium: with chunk hashes the manifest's file
// hash is checked too (a manifest that contradicts itself never installs), and
// a file that only its whole-file hash can check is fetched again, once, when
// its bytes were damaged on the way.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FaultPlan, faultInjection, scriptedFaults } from '../../tools/serve/faults';
import { expect, test } from '../support/fixtures';
import {
  call,
  FAST_OPTIONS,
  MODEL_ID,
  MODEL_VERSION,
  makeTestModel,
  modelBytesSent,
  openHarness,
  serveModel,
  storedMismatches,
} from './download-fixture';

const BIN = /\/weights\/a\.bin$/;

test('a manifest whose file hash disagrees with its chunk hashes does not install', async ({
  page,
  servers,
}) => {
  const model = await makeTestModel();
  const manifestFile = join(model.root, model.manifestPath);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  const a = manifest.files.find((f: { path: string }) => f.path === 'weights/a.bin');
  const b = manifest.files.find((f: { path: string }) => f.path === 'weights/b.bin');
  const good = a.sha256;
  a.sha256 = b.sha256; // every chunk hash still true: only the file hash lies
  await writeFile(manifestFile, JSON.stringify(manifest));
  const server = await serveModel(model);
  try {
    await openHarness(page, servers.harness.url);
    const url = `${server.url}/${model.manifestPath}`;
    for (const backend of ['opfs-sync', 'idb'] as const) {
      const result = await call(page, 'run', url, { ...FAST_OPTIONS, backend });
      expect(result).toMatchObject({
        ok: false,
        code: 'validation-failed',
        details: { path: 'weights/a.bin', expected: b.sha256, actual: good },
      });
      expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);
      expect(await call(page, 'installedCount')).toBe(0);
      await call(page, 'cancel', url);
    }
  } finally {
    await server.close();
    await model.close();
  }
});

test.describe('whole-file verification', () => {
  // A generous stall timeout: these tests are about hashes, not a busy machine's pauses.
  const options = {
    ...FAST_OPTIONS,
    stallTimeoutMs: 5000,
    verification: 'whole-file' as const,
    chunkSize: 50_000,
  };

  test('a flipped byte is caught by the file hash and the file is fetched again by itself', async ({
    page,
    servers,
  }) => {
    const model = await makeTestModel();
    const faults = faultInjection(
      scriptedFaults([{ path: BIN, fault: { kind: 'flip-byte', at: 1000 } }]),
    );
    const server = await serveModel(model, [faults]);
    try {
      await openHarness(page, servers.harness.url);
      const url = `${server.url}/${model.manifestPath}`;
      const result = await call(page, 'run', url, options);
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
      expect(faults.log.map((e) => e.outcome)).toEqual(['applied']);
      expect(await storedMismatches(page, model)).toEqual([]);
      await server.idle();
      const size = model.manifest.files.find((f) => f.path === 'weights/a.bin')?.size ?? 0;
      // a.bin twice (the restart), everything else once.
      expect(modelBytesSent(server)).toBe(model.totalBytes + size);
    } finally {
      await server.close();
      await model.close();
    }
  });

  test('a file damaged again after its one restart ends validation-failed and nothing installs', async ({
    page,
    servers,
  }) => {
    const model = await makeTestModel();
    // The first request for a.bin (of 32 chunks) and the first one after the restart.
    let seen = 0;
    const plan: FaultPlan = {
      next(r) {
        if (r.method !== 'GET' || !BIN.test(r.path)) return null;
        seen++;
        return seen === 1 || seen === 33 ? { kind: 'flip-byte', at: 1000 } : null;
      },
    };
    const faults = faultInjection(plan);
    const server = await serveModel(model, [faults]);
    try {
      await openHarness(page, servers.harness.url);
      const url = `${server.url}/${model.manifestPath}`;
      const result = await call(page, 'run', url, options);
      expect(result).toMatchObject({
        ok: false,
        code: 'validation-failed',
        details: { path: 'weights/a.bin', verification: 'whole-file' },
      });
      expect(faults.log.map((e) => e.outcome)).toEqual(['applied', 'applied']);
      expect(await call(page, 'isInstalled', MODEL_ID, MODEL_VERSION)).toBe(false);
      // The bad file was reset: a clean resume fetches it whole and installs.
      server.setPlugins([]);
      expect((await call(page, 'run', url, options)).ok).toBe(true);
      expect(await storedMismatches(page, model)).toEqual([]);
    } finally {
      await server.close();
      await model.close();
    }
  });
});
