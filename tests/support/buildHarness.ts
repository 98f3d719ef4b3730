// Builds every harness page (or those named in HARNESS_PAGES=a,b) into
// dist-harness/. A page that fails to build is reported, not fatal: only the
// tests that use it fail.

import { rm } from 'node:fs/promises';
import { build } from 'vite';
import { HARNESS_OUT_DIR, harnessConfig, harnessPages } from '../../vite.harness.config';

export async function buildHarness(): Promise<void> {
  const wanted = process.env.HARNESS_PAGES?.split(',').filter(Boolean);
  const pages = harnessPages().filter((p) => !wanted || wanted.includes(p));
  if (!wanted) await rm(HARNESS_OUT_DIR, { recursive: true, force: true });
  for (const page of pages) {
    try {
      await build(harnessConfig(page));
    } catch (error) {
      console.error(
        `harness page "${page}" failed to build:`,
        error instanceof Error ? error.message : error,
      );
    }
  }
}
