// `npm test`: runs every suite (unit in Node, then browser and end-to-end in
// real Chromium against a fresh build, WebKit, and the mutant runs that prove
// the fault suite can fail) and ends with one line summing them:
// `N passed, N failed`. Exits non-zero if any test failed or a suite crashed.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const results = resolve(root, 'test-results');
mkdirSync(results, { recursive: true });

interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  crashed: boolean;
}

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  const child = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return child.status ?? 1;
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

function vitestResult(name: string, out: string, status: number): SuiteResult {
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>(out);
  return {
    name,
    passed: report?.numPassedTests ?? 0,
    failed: report?.numFailedTests ?? 0,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
    crashed: !report || (status !== 0 && report.numFailedTests === 0),
  };
}

function unitSuite(): SuiteResult {
  const out = resolve(results, 'unit.json');
  rmSync(out, { force: true });
  const status = run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`,
  ]);
  return vitestResult('unit (Vitest, Node)', out, status);
}

function browserSuite(): SuiteResult {
  const name = 'browser + e2e (Playwright, Chromium)';
  if (run('npx', ['vite', 'build']) !== 0)
    return { name, passed: 0, failed: 0, skipped: 0, crashed: true };
  const out = resolve(results, 'e2e.json');
  rmSync(out, { force: true });
  const status = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
  });
  const report = readJson<{
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  }>(out);
  const stats = report?.stats;
  return {
    name,
    passed: stats?.expected ?? 0,
    // A test that only passed on retry is not a pass.
    failed: (stats?.unexpected ?? 0) + (stats?.flaky ?? 0),
    skipped: stats?.skipped ?? 0,
    crashed: !stats || (status !== 0 && (stats.unexpected ?? 0) === 0),
  };
}

function webkitSuite(): SuiteResult {
  const out = resolve(results, 'webkit.json');
  rmSync(out, { force: true });
  const status = run('npx', [
    'vitest',
    'run',
    '--config',
    'vitest.webkit.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`,
  ]);
  return vitestResult('webkit (WebKitGTK via WebDriver)', out, status);
}

/**
 * Proof that the fault suite can fail (tools/mutants/run.ts): each deliberate
 * engine bug must turn it red, and the unpatched control must stay green.
 * Counted as one test per mutant plus the control.
 */
function mutantsSuite(): SuiteResult {
  const name = 'mutants (fault suite vs deliberate engine bugs)';
  const child = spawnSync('npx', ['tsx', 'tools/mutants/run.ts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(child.stdout ?? '');
  const last = /^(\d+) passed, (\d+) failed$/m.exec(
    (child.stdout ?? '').trim().split('\n').at(-1) ?? '',
  );
  if (!last) return { name, passed: 0, failed: 0, skipped: 0, crashed: true };
  const passed = Number(last[1]);
  const failed = Number(last[2]);
  return { name, passed, failed, skipped: 0, crashed: child.status !== 0 && failed === 0 };
}

// The browser suite builds dist/, which the WebKit suite and the mutants then use too.
const suites = [unitSuite(), browserSuite(), webkitSuite(), mutantsSuite()];
console.log('\nSummary');
for (const s of suites) {
  console.log(
    `  ${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}` +
      (s.crashed ? ' (suite did not complete)' : ''),
  );
}
const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed + (s.crashed ? 1 : 0), 0);
const skipped = suites.reduce((n, s) => n + s.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
