// The outcome log of the fault-injection plugin: each chosen fault is settled
// once (applied, no effect, client gone), with the bytes sent before it acted.

import type { FaultLogEntry, InjectedFault } from './types';

/** Writes one chosen fault's outcome to the log, once: the first outcome known is the one. */
export class FaultTracker {
  private settled = false;
  bytesSent = 0;

  constructor(
    private readonly entry: InjectedFault,
    private readonly log: FaultLogEntry[],
  ) {}

  settle(outcome: FaultLogEntry['outcome']): void {
    if (this.settled) return;
    this.settled = true;
    this.log.push({ ...this.entry, outcome, bytesSent: this.bytesSent });
  }
}
