// Measures the page's main thread while a step runs: the long tasks a
// PerformanceObserver reports (wall time, over 50 ms) and, from a Chromium
// trace, the CPU time of every task. On a shared machine a task is stretched
// by other processes; its CPU time says how much of it was the page's own work.

import type { BrowserContext, Page } from '@playwright/test';

export interface MainThreadReport {
  /** Durations (ms) of the long tasks the PerformanceObserver reported. */
  longTasks: number[];
  /** The largest wall time (ms) of any main-thread task in the trace. */
  maxTaskWallMs: number;
  /** The largest CPU time (ms) of any main-thread task in the trace. */
  maxTaskCpuMs: number;
  /** Main-thread tasks in the trace. */
  tasks: number;
  /** One line for the test output. */
  summary: string;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export async function measureMainThread(
  context: BrowserContext,
  page: Page,
  step: () => Promise<void>,
): Promise<MainThreadReport> {
  await page.evaluate(() => {
    const tasks: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask' });
  });
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.start', {
    // RunTask (one event per task, with its CPU time) is in the disabled-by-default category.
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,toplevel',
    transferMode: 'ReportEvents',
  });
  try {
    await step();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  const longTasks = await page.evaluate(
    () => (window as unknown as { longTasks: number[] }).longTasks,
  );
  // The page's renderer main thread: of the renderer main threads traced (other
  // pages, the service worker's process), the one that ran the most tasks.
  const mains = events.filter(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  const tasksOf = (m: TraceEvent) =>
    events.filter(
      (e) => e.ph === 'X' && e.name === 'RunTask' && e.pid === m.pid && e.tid === m.tid,
    );
  const tasks = mains.map(tasksOf).sort((a, b) => b.length - a.length)[0] ?? [];
  // A trace without the page's tasks would make every bound below hold by construction.
  if (tasks.length === 0) throw new Error('the trace has no main-thread tasks');
  const ms = (us: number | undefined) => Math.round((us ?? 0) / 100) / 10;
  const maxTaskWallMs = Math.max(0, ...tasks.map((t) => ms(t.dur)));
  const maxTaskCpuMs = Math.max(0, ...tasks.map((t) => ms(t.tdur)));
  const summary =
    `${longTasks.length} long tasks (PerformanceObserver) [${longTasks.join(', ')}] ms; ` +
    `${tasks.length} main-thread tasks traced, longest ${maxTaskWallMs} ms wall, ` +
    `most CPU in one task ${maxTaskCpuMs} ms`;
  return { longTasks, maxTaskWallMs, maxTaskCpuMs, tasks: tasks.length, summary };
}
