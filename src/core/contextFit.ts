// Fits a conversation into a model's context window: the oldest turns are
// dropped (never the system prompt, never the message being answered) until
// the prompt plus room for the reply fits. Pure: tokens are counted by the caller.

import type { ChatMessage } from '../inference/types';

export interface FitRequest {
  messages: ChatMessage[];
  /** The model's context window in tokens (prompt and reply together). */
  contextTokens: number;
  /** The reply length the user asked for. */
  maxNewTokens: number;
  /** Tokens of the prompt these messages make (chat template included). */
  countTokens: (messages: ChatMessage[]) => number;
  /** The shortest reply worth starting when the reply's room must shrink. */
  minReplyTokens?: number;
}

export type FitResult =
  | {
      fits: true;
      messages: ChatMessage[];
      /** How many of the oldest messages were left out. */
      droppedMessages: number;
      promptTokens: number;
      /** At most what was asked, less when the prompt leaves less room. */
      maxNewTokens: number;
    }
  | {
      fits: false;
      /** Tokens of the shortest prompt possible: system prompt and the last message alone. */
      promptTokens: number;
    };

export const MIN_REPLY_TOKENS = 16;

export function fitConversation(request: FitRequest): FitResult {
  const { messages, contextTokens, countTokens } = request;
  const minReply = request.minReplyTokens ?? MIN_REPLY_TOKENS;
  const system = messages[0]?.role === 'system' ? [messages[0]] : [];
  const turns = messages.slice(system.length);
  // The message being answered (and a reply being continued after it) always stays.
  let lastUser = turns.findLastIndex((m) => m.role === 'user');
  if (lastUser < 0) lastUser = Math.max(0, turns.length - 1);
  // A kept history starts at a user message, so it never opens with a reply.
  const starts = turns
    .map((_m, i) => i)
    .filter((i) => i === lastUser || (i < lastUser && turns[i]?.role === 'user'));
  const keep = (start: number) => [...system, ...turns.slice(start)];
  // Room for the reply, but never more than half the window: a long reply setting
  // must not push out the conversation it answers.
  const reserve = Math.min(Math.max(1, request.maxNewTokens), Math.floor(contextTokens / 2));
  const budget = contextTokens - reserve;

  // Fewer messages never make more tokens: binary search the earliest start that fits.
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  const counted = new Map<number, number>();
  const count = (index: number) => {
    let tokens = counted.get(index);
    if (tokens === undefined) {
      tokens = countTokens(keep(starts[index] ?? 0));
      counted.set(index, tokens);
    }
    return tokens;
  };
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (count(mid) <= budget) {
      found = mid;
      high = mid - 1;
    } else {
      low = mid + 1;
    }
  }
  const index = found >= 0 ? found : starts.length - 1;
  const promptTokens = count(index);
  const room = contextTokens - promptTokens;
  if (room < Math.min(minReply, request.maxNewTokens)) return { fits: false, promptTokens };
  const start = starts[index] ?? 0;
  return {
    fits: true,
    messages: keep(start),
    droppedMessages: start,
    promptTokens,
    maxNewTokens: Math.max(1, Math.min(request.maxNewTokens, room)),
  };
}
