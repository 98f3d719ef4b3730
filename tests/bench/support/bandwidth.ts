// A small memory-bandwidth probe for the benchmarks: memcmp (Buffer.compare) of two
// 128 MiB buffers that differ only in their last byte reads 256 MiB per call, far
// beyond the caches, with the C library's vector loop; on one thread and on every CPU.

import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';

const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const size = workerData.bytes;
const a = Buffer.alloc(size, 1);
const b = Buffer.alloc(size, 1);
b[size - 1] = 2;
Buffer.compare(a, b); // touch every page once before timing
let best = 0;
for (let i = 0; i < workerData.rounds; i++) {
  const t = process.hrtime.bigint();
  Buffer.compare(a, b);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  best = Math.max(best, (2 * size) / s / 1e9);
}
parentPort.postMessage(best);
`;

function probe(threads: number, bytes: number, rounds: number): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(PROBE, { eval: true, workerData: { bytes, rounds } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
}

/** Best read rate (GB/s, 1e9 bytes) on one thread, and summed over one thread per CPU. */
export async function measureReadBandwidth(
  bytes = 128 * 2 ** 20,
  rounds = 8,
): Promise<{ singleGBps: number; allGBps: number; threads: number }> {
  const [single = 0] = await probe(1, bytes, rounds);
  const threads = cpus().length;
  const all = (await probe(threads, bytes, rounds)).reduce((a, b) => a + b, 0);
  return { singleGBps: single, allGBps: Math.max(single, all), threads };
}
