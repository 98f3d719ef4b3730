// Test page for the chat's message rendering: the real ChatMessage component
// (Markdown through marked + DOMPurify) and the conversations store.

import { render } from 'preact';
import type { StoredMessage } from '../../../src/core/conversation';
import { idbConversationStore } from '../../../src/storage/conversationStore';
import { DB_NAME, openAppDb } from '../../../src/storage/db';
import { ChatMessage } from '../../../src/ui/ChatMessage';

function renderReplies(texts: string[]): void {
  const messages: StoredMessage[] = texts.map((content, i) => ({
    id: `m${i}`,
    role: 'assistant',
    content,
    createdAt: 0,
  }));
  render(
    <ol class="messages">
      {messages.map((m) => (
        <ChatMessage key={m.id} message={m} />
      ))}
    </ol>,
    document.getElementById('app') as HTMLElement,
  );
}

async function dbShape() {
  const db = await openAppDb();
  return { version: db.version, stores: [...db.objectStoreNames].sort() };
}

Object.assign(window, {
  harness: { renderReplies, DB_NAME, dbShape, conversations: idbConversationStore },
});
