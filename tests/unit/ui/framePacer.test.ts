import { describe, expect, it } from 'vitest';
import { createFramePacer, type FrameScheduler } from '../../../src/ui/framePacer';

/** A scheduler whose frames the test runs by hand. */
function manualFrames() {
  let pending: Array<() => void> = [];
  const schedule: FrameScheduler = (callback) => {
    pending.push(callback);
    return () => {
      pending = pending.filter((c) => c !== callback);
    };
  };
  const frame = () => {
    const run = pending;
    pending = [];
    for (const callback of run) callback();
  };
  return { schedule, frame, waiting: () => pending.length };
}

type Step = { push: number } | 'frame' | 'flush' | 'cancel';

describe('createFramePacer', () => {
  const cases: Array<{ name: string; steps: Step[]; published: number[]; framesLeft: number }> = [
    { name: 'nothing pushed: nothing published', steps: ['frame'], published: [], framesLeft: 0 },
    {
      name: 'a backlog in one frame publishes only the latest',
      steps: [{ push: 1 }, { push: 2 }, { push: 3 }, 'frame'],
      published: [3],
      framesLeft: 0,
    },
    {
      name: 'one publication per frame that had pushes',
      steps: [{ push: 1 }, 'frame', 'frame', { push: 2 }, { push: 3 }, 'frame'],
      published: [1, 3],
      framesLeft: 0,
    },
    {
      name: 'flush publishes now and the frame then has nothing to do',
      steps: [{ push: 1 }, { push: 2 }, 'flush', 'frame'],
      published: [2],
      framesLeft: 0,
    },
    {
      name: 'flush with nothing waiting publishes nothing',
      steps: [{ push: 1 }, 'frame', 'flush'],
      published: [1],
      framesLeft: 0,
    },
    {
      name: 'cancel drops the waiting value and its frame',
      steps: [{ push: 1 }, 'cancel', 'frame', 'flush'],
      published: [],
      framesLeft: 0,
    },
    {
      name: 'one frame is asked for however many values are pushed',
      steps: [{ push: 1 }, { push: 2 }, { push: 3 }],
      published: [],
      framesLeft: 1,
    },
  ];
  for (const { name, steps, published, framesLeft } of cases) {
    it(name, () => {
      const frames = manualFrames();
      const seen: number[] = [];
      const pacer = createFramePacer<number>((v) => seen.push(v), frames.schedule);
      for (const step of steps) {
        if (step === 'frame') frames.frame();
        else if (step === 'flush') pacer.flush();
        else if (step === 'cancel') pacer.cancel();
        else pacer.push(step.push);
      }
      expect(seen).toEqual(published);
      expect(frames.waiting()).toBe(framesLeft);
    });
  }
});
