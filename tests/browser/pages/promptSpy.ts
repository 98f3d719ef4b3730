// Test-only view of what the transformers.js model is fed: a worker that is the
// app's own, plus the token ids each generation receives, told on a channel.

/** The channel the spy worker posts each generation's input ids on (plain numbers). */
export const PROMPT_IDS_CHANNEL = 'harness-prompt-ids';

export function createPromptSpyWorker(name: string): Worker {
  return new Worker(new URL('./promptSpy.worker.ts', import.meta.url), { type: 'module', name });
}

/** Every prompt the spy workers have reported since the page loaded, in order. */
export function collectPromptIds(): number[][] {
  const seen: number[][] = [];
  new BroadcastChannel(PROMPT_IDS_CHANNEL).onmessage = (event: MessageEvent<number[]>) => {
    seen.push(event.data);
  };
  return seen;
}
