// The chat screen: conversations, the model picker, settings, the messages
// with a streaming reply, and the composer. Stop also answers Escape; screen
// readers hear a finished reply once, through a live region set on completion.
// A streaming token re-renders the streaming reply only, never this view.

import { useSignal } from '@preact/signals';
import { useCallback, useEffect, useRef } from 'preact/hooks';
import { BUILTIN_MODEL_KEY, type StoredMessage } from '../core/conversation';
import { ChatComposer } from './ChatComposer';
import { ChatMessage } from './ChatMessage';
import { ChatSettings } from './ChatSettings';
import { ConversationList } from './ConversationList';
import {
  activeModel,
  announcement,
  chatModels,
  continueReply,
  currentConversation,
  editAndResend,
  generating,
  modelError,
  modelStatus,
  regenerate,
  send,
  setModel,
  stop,
  streamingConversationId,
  streamingMessageId,
} from './chatState';
import { errorText } from './errorText';
import { StreamingReply } from './StreamingReply';
import { screen } from './screen';

const NO_MESSAGES: StoredMessage[] = [];

export function ChatView() {
  const editing = useSignal<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const model = activeModel.value;
  const conversation = currentConversation.value;
  const messages = conversation?.messages ?? NO_MESSAGES;
  const liveId =
    streamingConversationId.value === conversation?.id ? streamingMessageId.value : null;
  const busy = generating.value;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && generating.value) void stop();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Follow the reply as it grows, unless the user scrolled up to read.
  const follow = useCallback(() => {
    const el = list.current;
    if (!el) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 120) el.scrollTop = el.scrollHeight;
  }, []);
  // A new message or another conversation: show the end.
  useEffect(() => {
    const el = list.current;
    if (el && !liveId) el.scrollTop = el.scrollHeight;
  }, [messages, liveId, conversation?.id]);

  if (!model && chatModels.value.length === 0) {
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

  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  const last = messages.length - 1;
  const canContinue = model?.key !== BUILTIN_MODEL_KEY;

  return (
    <section class="screen chat" aria-label="Chat">
      <ConversationList />
      <div class="chat-main">
        <div class="chat-head">
          <h2>{conversation?.title ?? 'Chat'}</h2>
          <label class="model-picker">
            Model
            <select
              aria-label="Model"
              value={model?.key ?? ''}
              disabled={busy}
              onChange={(e) => void setModel((e.target as HTMLSelectElement).value)}
            >
              {chatModels.value.map((m) => (
                <option key={m.key} value={m.key}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <span class="model-meta" data-testid="chat-model">
            {model?.name} · {modelStatus.value === 'loading' ? 'loading…' : 'on this device'}
          </span>
        </div>
        {conversation && <ChatSettings conversation={conversation} />}
        {modelError.value && (
          <p class="error" data-code={modelError.value.code}>
            {errorText(modelError.value)}
          </p>
        )}
        <ol class="messages" ref={list}>
          {messages.map((m, i) =>
            m.id === liveId ? (
              <StreamingReply key={m.id} message={m} onGrow={follow} />
            ) : (
              <ChatMessage
                key={m.id}
                message={m}
                {...(busy
                  ? {}
                  : i === last && m.role === 'assistant'
                    ? {
                        actions: {
                          regenerate: () => void regenerate(),
                          ...(canContinue ? { continueReply: () => void continueReply() } : {}),
                        },
                      }
                    : i === lastUser
                      ? { actions: { edit: () => (editing.value = m.content) } }
                      : {})}
              />
            ),
          )}
          {liveId && !messages.some((m) => m.id === liveId) && (
            <StreamingReply
              key={liveId}
              message={{ id: liveId, role: 'assistant', content: '', createdAt: 0 }}
              onGrow={follow}
            />
          )}
        </ol>
        <div class="visually-hidden" aria-live="polite" data-testid="chat-announcer">
          {announcement.value}
        </div>
        <ChatComposer
          placeholder={
            model?.installed && model.installed.manifest.task === 'text-generation'
              ? 'Start a story, e.g. “Once upon a time, there was a little dog”'
              : 'Type a message'
          }
          busy={busy}
          editing={editing.value}
          onSend={(text) => {
            if (editing.value !== null) {
              editing.value = null;
              void editAndResend(text);
            } else {
              void send(text);
            }
          }}
          onStop={() => void stop()}
          onCancelEdit={() => (editing.value = null)}
        />
      </div>
    </section>
  );
}
