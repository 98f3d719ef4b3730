// Memory of a whole Chromium: the summed resident set (VmRSS) of the browser
// process found by its profile dir and every process below it, read from /proc.
// ArrayBuffers live outside the JS heap, so heap statistics would not see them.

import { readdirSync, readFileSync } from 'node:fs';
import { medianOrNull } from './median';

/** The browser process: the one started with `--user-data-dir=<profileDir>` and no `--type`. */
export function findBrowserPid(profileDir: string): number | null {
  for (const pid of allPids()) {
    const cmdline = read(`/proc/${pid}/cmdline`)?.split(/[\0 ]/) ?? [];
    if (
      cmdline.includes(`--user-data-dir=${profileDir}`) &&
      !cmdline.some((a) => a.startsWith('--type='))
    )
      return pid;
  }
  return null;
}

/** `root` and all its descendants (renderers, GPU, network and storage services, zygotes). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    // Field 4 of /proc/PID/stat is the parent; the name (field 2) may contain spaces, so split after ')'.
    const stat = read(`/proc/${pid}/stat`);
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : Number.NaN;
    if (!Number.isFinite(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const walk = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return tree;
}

/** Summed VmRSS of the processes, in bytes (a process that has exited counts 0). */
export function residentBytes(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
    if (match) sum += Number(match[1]) * 1024;
  }
  return sum;
}

/**
 * CPU time (user + system, seconds) used so far by each process of the tree,
 * summed by Chromium process type (`renderer`, `utility` — the network and
 * storage services —, `gpu-process`, `zygote`, `browser`).
 */
export function cpuSecondsByType(pids: number[]): Record<string, number> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const out: Record<string, number> = {};
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    // Chromium retitles its children, which turns their NUL-separated arguments into one line.
    const args = read(`/proc/${pid}/cmdline`)?.split(/[\0 ]/) ?? [];
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    const type = typeOf(args);
    out[type] = (out[type] ?? 0) + seconds;
  }
  return out;
}

/**
 * Samples the browser's memory every `intervalMs`, re-reading its process tree
 * now and then (renderers and workers come and go). `window()` returns the
 * peak and median since the last call.
 */
export class BrowserMemorySampler {
  private samples: number[] = [];
  private pids: number[] = [];
  private ticks = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly browserPid: number,
    private readonly intervalMs = 50,
    /** Only processes of this Chromium type (e.g. `renderer`); all when omitted. */
    private readonly processType?: string,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Peak and median of the samples taken since the previous call (then starts afresh). */
  window(): { peak: number; median: number; count: number } {
    this.sample();
    const sorted = [...this.samples].sort((a, b) => a - b);
    this.samples = [];
    return {
      peak: sorted.at(-1) ?? 0,
      median: medianOrNull(sorted) ?? 0,
      count: sorted.length,
    };
  }

  /** The browser's processes as last seen. */
  processes(): number[] {
    return processTree(this.browserPid);
  }

  private sample(): void {
    if (this.ticks++ % 10 === 0) {
      const tree = processTree(this.browserPid);
      this.pids = this.processType ? tree.filter((p) => processType(p) === this.processType) : tree;
    }
    this.samples.push(residentBytes(this.pids));
  }
}

/** Chromium's `--type=` of a process (`browser` for the one without). */
function typeOf(args: string[]): string {
  return args.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
}

function processType(pid: number): string {
  return typeOf(read(`/proc/${pid}/cmdline`)?.split(/[\0 ]/) ?? []);
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process exited between listing and reading
  }
}
