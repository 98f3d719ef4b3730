// Where a message is typed: Enter sends, Shift+Enter breaks the line, and
// nothing is sent while an input method is composing (Japanese, Chinese…).
// Its draft lives here, so typing re-renders the composer only.

import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

export interface ChatComposerProps {
  placeholder: string;
  busy: boolean;
  /** Text to edit (the last question), when editing. */
  editing: string | null;
  onSend(text: string): void;
  onStop(): void;
  onCancelEdit(): void;
}

export function ChatComposer({
  placeholder,
  busy,
  editing,
  onSend,
  onStop,
  onCancelEdit,
}: ChatComposerProps) {
  const draft = useSignal('');
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (editing === null) return;
    draft.value = editing;
    box.current?.focus();
  }, [editing]);

  const submit = () => {
    const text = draft.value;
    if (busy || text.trim() === '') return;
    draft.value = '';
    onSend(text);
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={box}
        aria-label="Message"
        placeholder={placeholder}
        value={draft}
        onInput={(e) => (draft.value = (e.target as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          // keyCode 229: the key event of an IME in browsers that leave isComposing unset.
          if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
          e.preventDefault();
          submit();
        }}
        rows={2}
      />
      {editing !== null && !busy && (
        <button type="button" onClick={onCancelEdit}>
          Cancel edit
        </button>
      )}
      {busy ? (
        <button type="button" onClick={onStop} aria-keyshortcuts="Escape">
          Stop
        </button>
      ) : (
        <button type="submit" class="primary" disabled={draft.value.trim() === ''}>
          {editing !== null ? 'Ask again' : 'Send'}
        </button>
      )}
    </form>
  );
}
