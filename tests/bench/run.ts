// Runs every benchmark (tests/bench/*.bench.ts) in turn, each in its own
// process; `npm run bench -- download` runs only those whose name contains
// "download". Benchmarks print figures; only a crash makes this fail.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

if (benches.length === 0) {
  console.error(`no benchmark in ${dir} matches ${filters.join(', ') || '*.bench.ts'}`);
  process.exit(2);
}
const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const tsx = join(dir, '../../node_modules/.bin/tsx');
  const result = spawnSync(tsx, [join(dir, name)], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(`${name} (exit ${result.status ?? result.signal})`);
}
if (failed.length > 0) {
  console.error(`\nbenchmarks that crashed: ${failed.join(', ')}`);
  process.exit(1);
}
