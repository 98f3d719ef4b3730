// `npm run test:mutants`: proves the fault suite can fail. For each mutant (a
// deliberate engine bug, tools/mutants/mutants.ts) it copies the repository,
// applies the patch, and runs a fixed slice of the fault suite there; the
// mutant is caught when the suite goes red. An unpatched copy runs first as
// the control: it must be green, or a red mutant would prove nothing.
// Prints one line per mutant and ends with `N passed, N failed` (passed =
// caught). FAULT_RUNS (default 20) and FAULT_SEED pass through.

import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MUTANTS, type Mutant } from './mutants';

const root = resolve(import.meta.dirname, '..', '..');
// Inside the repository (ignored), so that `../shared` resolves from the copy as from the root.
const work = join(root, '.mutants');
const runs = process.env.FAULT_RUNS ?? '20';

interface SuiteCount {
  passed: number;
  failed: number;
  ok: boolean;
}

function copyRepo(name: string): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\n').filter(Boolean)) {
    if (file.startsWith('.mutants/') || !existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  // The fault suite drives the harness page (rebuilt from the patched sources by
  // globalSetup); the app build only has to exist.
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  return dir;
}

function patch(dir: string, mutant: Mutant): void {
  const path = join(dir, mutant.file);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(mutant.find);
  if (at < 0 || text.indexOf(mutant.find, at + 1) >= 0) {
    throw new Error(
      `mutant ${mutant.name} is stale: its text is not found exactly once in ${mutant.file}`,
    );
  }
  writeFileSync(path, text.replace(mutant.find, mutant.replace));
}

function faultSuite(dir: string): SuiteCount {
  const child = spawnSync(
    'npx',
    ['playwright', 'test', 'tests/browser/faults.spec.ts', '--reporter=json'],
    {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      // Only the page the fault suite drives is rebuilt from the patched sources.
      env: { ...process.env, FAULT_RUNS: runs, HARNESS_PAGES: 'download', CI: '' },
    },
  );
  let stats: { expected?: number; unexpected?: number; flaky?: number } = {};
  try {
    stats = (JSON.parse(child.stdout) as { stats: typeof stats }).stats;
  } catch {
    console.error(child.stdout.slice(-2000), child.stderr.slice(-2000));
  }
  const passed = (stats.expected ?? 0) + (stats.flaky ?? 0);
  const failed = stats.unexpected ?? 0;
  return { passed, failed, ok: child.status === 0 && passed > 0 };
}

if (!existsSync(join(root, 'dist', 'index.html'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}
mkdirSync(work, { recursive: true });
const shared = join(work, 'shared');
if (!existsSync(shared)) symlinkSync(resolve(root, '..', 'shared'), shared);

const started = performance.now();
const control = faultSuite(copyRepo('control'));
console.log(
  `control (no mutant): ${control.ok ? 'green' : 'RED'} — ${control.passed} passed, ${control.failed} failed`,
);
let caught = 0;
let missed = 0;
for (const mutant of MUTANTS) {
  const dir = copyRepo(mutant.name);
  patch(dir, mutant);
  const result = faultSuite(dir);
  const red = !result.ok;
  if (red) caught++;
  else missed++;
  console.log(
    `${red ? 'caught' : 'MISSED'} ${mutant.name}: ${result.failed} of ${result.passed + result.failed} fault tests failed — ${mutant.why}`,
  );
  rmSync(dir, { recursive: true, force: true });
}
rmSync(join(work, 'control'), { recursive: true, force: true });
const seconds = Math.round((performance.now() - started) / 1000);
console.log(`mutants: FAULT_RUNS=${runs}, ${seconds} s`);
// The control counts as one more check: a red control fails the run.
const passed = caught + (control.ok ? 1 : 0);
const failed = missed + (control.ok ? 0 : 1);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
