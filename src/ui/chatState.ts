// The chat's state and actions: the conversation, the streaming reply, Stop.
// The model is loaded the way the planner says suits this device, by the text
// engine the composition root hands over (`connectChat`).

import { computed, signal } from '@preact/signals';
import { AppError } from '../core/errors';
import {
  type ChatMessage,
  DEFAULT_GENERATION,
  type GenerationStats,
  type TextEngine,
} from '../inference/types';
import { installed, refreshInstalled, verifyWhenIdle } from './installedModels';
import { textLoadRequest } from './modelPlan';

export interface ChatEntry extends ChatMessage {
  id: number;
  pending?: boolean;
  error?: AppError;
  stats?: GenerationStats;
}

export const activeModelKey = signal<string | null>(null);
export const messages = signal<ChatEntry[]>([]);
export const generating = signal(false);
export const modelStatus = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
export const modelError = signal<AppError | null>(null);

export const activeModel = computed(
  () => installed.value.find((m) => m.key === activeModelKey.value) ?? installed.value[0] ?? null,
);

let chatEngine: TextEngine | null = null;

/** Gives the chat its text engine (the composition root calls it once). */
export function connectChat(engine: TextEngine): void {
  chatEngine = engine;
}

function engine(): TextEngine {
  if (!chatEngine) throw new Error('connectChat() has not been given a text engine');
  return chatEngine;
}
let nextMessageId = 1;

function updateMessage(id: number, patch: Partial<ChatEntry>) {
  messages.value = messages.value.map((m) => (m.id === id ? { ...m, ...patch } : m));
}

export async function send(text: string): Promise<void> {
  const model = activeModel.value;
  if (!model || generating.value || text.trim() === '') return;
  const user: ChatEntry = { id: nextMessageId++, role: 'user', content: text };
  const reply: ChatEntry = { id: nextMessageId++, role: 'assistant', content: '', pending: true };
  const history = [...messages.value, user];
  messages.value = [...history, reply];
  generating.value = true;
  try {
    // A model known damaged is not handed to a runtime: the user is told to repair it.
    if (model.damage) {
      // What is in memory may have been loaded from the damaged bytes: drop it.
      await engine().unload();
      throw new AppError('model-damaged', { id: model.id, files: model.damage.files });
    }
    const firstLoad = modelStatus.value !== 'ready';
    if (firstLoad) modelStatus.value = 'loading';
    await engine().load(await textLoadRequest(model.manifest));
    if (firstLoad) verifyWhenIdle(model);
    modelStatus.value = 'ready';
    modelError.value = null;
    const handle = engine().generate(
      history.map(({ role, content }) => ({ role, content })),
      DEFAULT_GENERATION,
    );
    let content = '';
    for await (const piece of handle.text) {
      content += piece;
      updateMessage(reply.id, { content });
    }
    updateMessage(reply.id, { pending: false, stats: await handle.done });
  } catch (error) {
    const appError = AppError.from(error, 'generation-failed');
    if (
      appError.code === 'model-load-failed' ||
      appError.code === 'unsupported-device' ||
      appError.code === 'model-damaged'
    ) {
      modelStatus.value = 'error';
      modelError.value = appError;
    }
    // The load's size check may have just marked the model damaged: show it on its card.
    if (appError.code === 'model-damaged') void refreshInstalled();
    updateMessage(reply.id, { pending: false, error: appError });
  } finally {
    generating.value = false;
  }
}

export function stop(): Promise<void> {
  return engine().interrupt();
}

export function clearChat(): void {
  messages.value = [];
}
