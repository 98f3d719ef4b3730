// The chat screen: the conversation, a composer, a streaming reply and Stop.
// Replies are untrusted model output and are rendered as plain text only.

import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import {
  activeModel,
  clearChat,
  generating,
  messages,
  modelError,
  modelStatus,
  send,
  stop,
} from './chatState';
import { errorText } from './errorText';
import { screen } from './screen';

export function ChatView() {
  const draft = useSignal('');
  const list = useRef<HTMLOListElement>(null);
  const model = activeModel.value;

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.value]);

  if (!model) {
    return (
      <section class="screen">
        <h2>Chat</h2>
        <p class="note">
          No model is installed yet.{' '}
          <button type="button" class="link" onClick={() => (screen.value = 'models')}>
            Download one
          </button>{' '}
          to start chatting; after that it works offline.
        </p>
      </section>
    );
  }

  const submit = (event: Event) => {
    event.preventDefault();
    const text = draft.value;
    draft.value = '';
    void send(text);
  };

  return (
    <section class="screen chat" aria-label="Chat">
      <div class="chat-head">
        <h2>Chat</h2>
        <span class="model-meta" data-testid="chat-model">
          {model.manifest.name} · {modelStatus.value === 'loading' ? 'loading…' : 'on this device'}
        </span>
        <button type="button" onClick={clearChat} disabled={generating.value}>
          New chat
        </button>
      </div>
      {modelError.value && (
        <p class="error" data-code={modelError.value.code}>
          {errorText(modelError.value)}
        </p>
      )}
      <ol class="messages" ref={list} aria-live="polite">
        {messages.value.map((m) => (
          <li
            key={m.id}
            class={`message ${m.role}`}
            data-role={m.role}
            data-state={m.pending ? 'streaming' : m.error ? 'error' : 'done'}
          >
            <p class="message-text">{m.content}</p>
            {m.error && (
              <p class="error" data-code={m.error.code}>
                {errorText(m.error)}
              </p>
            )}
            {m.stats && (
              <p class="message-stats">
                {m.stats.tokens} tokens · {m.stats.tokensPerSecond.toFixed(1)} tok/s
                {m.stats.stoppedBy === 'interrupted' ? ' · stopped' : ''}
              </p>
            )}
          </li>
        ))}
      </ol>
      <form class="composer" onSubmit={submit}>
        <textarea
          aria-label="Message"
          placeholder={
            model.manifest.task === 'text-generation'
              ? 'Start a story, e.g. “Once upon a time, there was a little dog”'
              : 'Type a message'
          }
          value={draft.value}
          onInput={(e) => (draft.value = (e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) submit(e);
          }}
          rows={2}
        />
        {generating.value ? (
          <button type="button" onClick={() => void stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" class="primary" disabled={draft.value.trim() === ''}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}
