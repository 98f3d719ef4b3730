// Runs a benchmark in a temp folder that is always removed, with a list of
// clean-ups (servers, browsers) run in reverse order at the end and on Ctrl-C:
// a benchmark writes gigabytes and must never leave them behind.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Cleanups = Array<() => Promise<unknown>>;

export async function runInWorkspace(
  prefix: string,
  run: (dir: string, cleanups: Cleanups) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const cleanups: Cleanups = [() => rm(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  }
  try {
    await run(dir, cleanups);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}
