// The list of conversations: switch, start a new one, rename, delete (with
// undo) and search by text.

import { useSignal } from '@preact/signals';
import {
  conversations,
  currentId,
  deleteConversation,
  generating,
  newConversation,
  recentlyDeleted,
  renameConversation,
  searchQuery,
  selectConversation,
  undoDelete,
  visibleConversations,
} from './chatState';

export function ConversationList() {
  const renaming = useSignal<string | null>(null);
  const title = useSignal('');
  const deleted = recentlyDeleted.value;

  return (
    <nav class="conversations" aria-label="Conversations">
      <button
        type="button"
        class="primary"
        onClick={() => void newConversation()}
        disabled={generating.value}
      >
        New chat
      </button>
      <input
        type="search"
        aria-label="Search conversations"
        placeholder="Search"
        value={searchQuery}
        onInput={(e) => (searchQuery.value = (e.target as HTMLInputElement).value)}
      />
      {deleted && (
        <p class="toast" role="status">
          Deleted “{deleted.title}”.{' '}
          <button type="button" class="link" onClick={() => void undoDelete()}>
            Undo
          </button>
        </p>
      )}
      <ul>
        {visibleConversations.value.map((c) => (
          <li key={c.id} data-testid="conversation" aria-current={c.id === currentId.value}>
            {renaming.value === c.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void renameConversation(c.id, title.value);
                  renaming.value = null;
                }}
              >
                <input
                  aria-label="Conversation name"
                  value={title}
                  onInput={(e) => (title.value = (e.target as HTMLInputElement).value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') renaming.value = null;
                  }}
                />
                <button type="submit">Save</button>
              </form>
            ) : (
              <>
                <button
                  type="button"
                  class="conversation-title"
                  onClick={() => selectConversation(c.id)}
                >
                  {c.title}
                </button>
                <button
                  type="button"
                  class="link"
                  aria-label={`Rename ${c.title}`}
                  onClick={() => {
                    title.value = c.title;
                    renaming.value = c.id;
                  }}
                >
                  Rename
                </button>
                <button
                  type="button"
                  class="link"
                  aria-label={`Delete ${c.title}`}
                  onClick={() => void deleteConversation(c.id)}
                >
                  Delete
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {conversations.value.length > 0 && visibleConversations.value.length === 0 && (
        <p class="note">No conversation matches.</p>
      )}
    </nav>
  );
}
