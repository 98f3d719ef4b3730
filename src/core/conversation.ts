// A stored conversation and the pure rules about it: its title, what of it is
// sent to a model, and text search.

import type { ChatMessage, GenerationSettings, GenerationStats } from '../inference/types';
import type { AppErrorData } from './errors';

/** The key of the browser's built-in model in a conversation's `modelKey`. */
export const BUILTIN_MODEL_KEY = 'builtin';

export interface StoredMessage extends ChatMessage {
  id: string;
  createdAt: number;
  /** A reply that failed: shown with its error, never sent back to a model. */
  error?: AppErrorData;
  stats?: GenerationStats;
}

export interface Conversation {
  id: string;
  title: string;
  /** An installed model's `${id}@${version}`, `builtin`, or null until one is picked. */
  modelKey: string | null;
  systemPrompt: string;
  settings: GenerationSettings;
  messages: StoredMessage[];
  createdAt: number;
  updatedAt: number;
}

const TITLE_LENGTH = 48;

/** A title from the first user message, on one line and short. */
export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return 'New chat';
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : line;
}

/** What the model sees: the system prompt, then every message that is not a failed or empty reply. */
export function promptMessages(conversation: Pick<Conversation, 'systemPrompt' | 'messages'>) {
  const out: ChatMessage[] = [];
  if (conversation.systemPrompt.trim() !== '')
    out.push({ role: 'system', content: conversation.systemPrompt });
  for (const m of conversation.messages) {
    if (m.role === 'assistant' && (m.error || m.content === '')) continue;
    out.push({ role: m.role, content: m.content });
  }
  return out;
}

/** Case-insensitive search in titles, system prompts and messages; every word must occur. */
export function matchesSearch(conversation: Conversation, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    conversation.title,
    conversation.systemPrompt,
    ...conversation.messages.map((m) => m.content),
  ]
    .join('\n')
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}
