// The reply being written: the only part of the chat that re-renders as tokens
// arrive (at most once per frame), with its tokens-per-second figure.

import { useLayoutEffect } from 'preact/hooks';
import type { StoredMessage } from '../core/conversation';
import { ChatMessage } from './ChatMessage';
import { streaming } from './chatState';

export interface StreamingReplyProps {
  message: StoredMessage;
  /** Called after the reply grew on screen (the list follows it). */
  onGrow(): void;
}

export function StreamingReply({ message, onGrow }: StreamingReplyProps) {
  const live = streaming.value;
  const content = live?.messageId === message.id ? live.content : message.content;
  useLayoutEffect(onGrow, [content]);
  const elapsed = live?.startedAt ? (performance.now() - live.startedAt) / 1000 : 0;
  // Shown from the second token on: before it there is no rate (the model may still be loading).
  const liveRate = live && live.pieces > 1 && elapsed > 0 ? (live.pieces - 1) / elapsed : undefined;
  return <ChatMessage message={message} streamingText={content} liveRate={liveRate} />;
}
