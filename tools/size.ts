// `npm run size`: builds the app if dist/ has no service worker yet (or with
// --build), prints what a first visit and each runtime cost, and ends with one
// JSON line. Exits non-zero when a budget (tools/size/sizeReport.ts) is broken.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RUNTIMES, sortBuiltFiles } from '../src/core/swAssets';
import { listBuiltFiles } from './build/serviceWorkerPlugin';
import { BUDGETS, brokenBudgets, initialScripts, kb, type SizeReport } from './size/sizeReport';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

if (process.argv.includes('--build') || !existsSync(join(dist, 'sw.js'))) {
  const built = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const size = (file: string) => statSync(join(dist, file)).size;
const brotliSize = (file: string) =>
  existsSync(join(dist, `${file}.br`)) ? size(`${file}.br`) : size(file);
const sum = (files: string[], of = size) => files.reduce((total, f) => total + of(f), 0);

const assets = sortBuiltFiles(await listBuiltFiles(dist));
const scripts = initialScripts(readFileSync(join(dist, 'index.html'), 'utf8'));
const initialGzip = scripts.reduce(
  (total, f) => total + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length,
  0,
);
const report: SizeReport = {
  initialJsGzipKB: kb(initialGzip),
  precacheKB: kb(sum(assets.precache)),
  runtimeKB: Object.fromEntries(RUNTIMES.map((r) => [r, kb(sum(assets.runtimes[r]))])),
  runtimeBrotliKB: Object.fromEntries(
    RUNTIMES.map((r) => [r, kb(sum(assets.runtimes[r], brotliSize))]),
  ),
};

const rows: Array<[string, string, string]> = [
  [
    'JS before first paint (gzip)',
    `${report.initialJsGzipKB} KB`,
    `< ${BUDGETS.initialJsGzipKB} KB`,
  ],
  ...scripts.map((f): [string, string, string] => [`  ${f}`, `${kb(size(f))} KB raw`, '']),
  ['Precache on first visit', `${report.precacheKB} KB`, `< ${BUDGETS.precacheKB} KB`],
  ...assets.precache.map((f): [string, string, string] => [`  ${f}`, `${kb(size(f))} KB`, '']),
  ...RUNTIMES.map((r): [string, string, string] => [
    `Runtime ${r} (when first needed)`,
    `${report.runtimeKB[r]} KB`,
    `${report.runtimeBrotliKB[r]} KB brotli`,
  ]),
];
const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, value, note] of rows)
  console.log(`${name.padEnd(width)}  ${value.padStart(12)}  ${note}`);
const broken = brokenBudgets(report);
for (const line of broken) console.error(`budget broken: ${line}`);
console.log(JSON.stringify(report));
process.exit(broken.length > 0 ? 1 : 0);
