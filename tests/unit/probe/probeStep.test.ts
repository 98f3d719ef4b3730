// A probe step never throws and never hangs the probe: failures and timeouts
// leave the step's fallback facts and a note in the report's issues.

import { describe, expect, it } from 'vitest';
import type { ProbeIssue } from '../../../src/core/probeReport';
import { runStep } from '../../../src/probe/probeStep';

describe('runStep', () => {
  it('returns what the step found when it finishes in time', async () => {
    const issues: ProbeIssue[] = [];
    const value = await runStep('quick', async () => 42, { fallback: 0, timeoutMs: 1000, issues });
    expect(value).toBe(42);
    expect(issues).toEqual([]);
  });

  it('gives the fallback, notes the timeout and aborts the step when it hangs', async () => {
    const issues: ProbeIssue[] = [];
    let aborted = false;
    const value = await runStep(
      'webgpu',
      (signal) =>
        new Promise<number>(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
      { fallback: -1, timeoutMs: 20, issues },
    );
    expect(value).toBe(-1);
    expect(aborted).toBe(true);
    expect(issues).toEqual([{ step: 'webgpu', message: 'timed out after 20 ms' }]);
  });

  it('gives the fallback and the error when the step throws synchronously', async () => {
    const issues: ProbeIssue[] = [];
    const value = await runStep(
      'platform',
      () => {
        throw new TypeError('navigator is not defined');
      },
      { fallback: 'unknown', timeoutMs: 1000, issues },
    );
    expect(value).toBe('unknown');
    expect(issues).toEqual([{ step: 'platform', message: 'TypeError: navigator is not defined' }]);
  });

  it('gives the fallback and the reason when the step rejects with a DOMException-like value', async () => {
    const issues: ProbeIssue[] = [];
    const value = await runStep('storage', () => Promise.reject('SecurityError'), {
      fallback: false,
      timeoutMs: 1000,
      issues,
    });
    expect(value).toBe(false);
    expect(issues).toEqual([{ step: 'storage', message: 'SecurityError' }]);
  });
});
