// One message of the conversation. Replies are Markdown, sanitised (model
// output is untrusted); a message re-renders only when it changes, so a long
// conversation stays smooth while a reply streams.

import { memo } from 'preact/compat';
import { useMemo } from 'preact/hooks';
import type { StoredMessage } from '../core/conversation';
import { AppError } from '../core/errors';
import { errorText } from './errorText';
import { renderMarkdown } from './markdown';

export interface ChatMessageProps {
  message: StoredMessage;
  /** The text streamed so far, while this message is being written. */
  streamingText?: string;
  /** Tokens per second so far, while streaming. */
  liveRate?: number;
  /** Actions shown on the last reply / the last question only. */
  actions?: {
    regenerate?: () => void;
    continueReply?: () => void;
    edit?: () => void;
  };
}

function copy(text: string) {
  void navigator.clipboard?.writeText(text).catch(() => {});
}

/** The copy buttons inside rendered code blocks (their markup comes from markdown.ts). */
function onCodeClick(event: MouseEvent) {
  const button = (event.target as Element | null)?.closest?.('[data-copy-code]');
  const code = button?.parentElement?.querySelector('code');
  if (button && code) copy(code.textContent ?? '');
}

export const ChatMessage = memo(function ChatMessage({
  message,
  streamingText,
  liveRate,
  actions,
}: ChatMessageProps) {
  const streamingNow = streamingText !== undefined;
  const text = streamingText ?? message.content;
  const html = useMemo(
    () => (message.role === 'assistant' ? renderMarkdown(text) : null),
    [message.role, text],
  );
  const error = message.error && !streamingNow ? AppError.fromData(message.error) : null;
  const stats = streamingNow ? undefined : message.stats;
  const dropped = stats?.context?.droppedMessages ?? 0;
  return (
    <li
      class={`message ${message.role}`}
      data-role={message.role}
      data-state={streamingNow ? 'streaming' : error ? 'error' : 'done'}
    >
      {html !== null ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: clicks come from the code blocks' own buttons
        // biome-ignore lint/a11y/useKeyWithClickEvents: the buttons inside are keyboard-reachable
        <div
          class="message-text markdown"
          onClick={onCodeClick}
          // Sanitised by DOMPurify in renderMarkdown.
          dangerouslySetInnerHTML={{ __html: html }}
        />
      ) : (
        <p class="message-text">{text}</p>
      )}
      {error && (
        <p class="error" data-code={error.code}>
          {errorText(error)}
        </p>
      )}
      {streamingNow && liveRate !== undefined && (
        <p class="message-stats" data-testid="live-rate">
          {liveRate.toFixed(1)} tok/s
        </p>
      )}
      {stats && (
        <p class="message-stats">
          {stats.tokens} tokens · {stats.tokensPerSecond.toFixed(1)} tok/s
          {stats.stoppedBy === 'interrupted' ? ' · stopped' : ''}
        </p>
      )}
      {dropped > 0 && stats?.context && (
        <p class="note" data-testid="context-note">
          The {dropped} oldest {dropped === 1 ? 'message was' : 'messages were'} left out: this
          model reads at most {stats.context.contextTokens} tokens at once. The system prompt was
          kept.
        </p>
      )}
      {stats?.stoppedBy === 'max-tokens' && (
        <p class="note" data-testid="length-note">
          The reply reached the length limit and was cut.
        </p>
      )}
      {!streamingNow && (
        <div class="message-actions">
          <button type="button" class="link" onClick={() => copy(text)}>
            Copy
          </button>
          {actions?.edit && (
            <button type="button" class="link" onClick={actions.edit}>
              Edit
            </button>
          )}
          {actions?.regenerate && (
            <button type="button" class="link" onClick={actions.regenerate}>
              Regenerate
            </button>
          )}
          {actions?.continueReply && stats?.stoppedBy === 'max-tokens' && (
            <button type="button" class="link" onClick={actions.continueReply}>
              Continue
            </button>
          )}
        </div>
      )}
    </li>
  );
});
