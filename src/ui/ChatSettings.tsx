// A conversation's system prompt and sampling settings (kept with it).

import type { Conversation } from '../core/conversation';
import type { GenerationSettings } from '../inference/types';
import { resetSettings, setSettings, setSystemPrompt } from './chatState';

const FIELDS: Array<{ key: keyof GenerationSettings; label: string; step: string }> = [
  { key: 'temperature', label: 'Temperature (0 = always the likeliest word)', step: '0.05' },
  { key: 'topP', label: 'Top-p', step: '0.01' },
  { key: 'topK', label: 'Top-k (0 = no limit)', step: '1' },
  { key: 'repetitionPenalty', label: 'Repetition penalty', step: '0.01' },
  { key: 'maxNewTokens', label: 'Max new tokens', step: '1' },
];

export function ChatSettings({ conversation }: { conversation: Conversation }) {
  return (
    <details class="chat-settings">
      <summary>System prompt and settings</summary>
      <label>
        System prompt
        <textarea
          aria-label="System prompt"
          rows={2}
          value={conversation.systemPrompt}
          onChange={(e) => void setSystemPrompt((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <div class="settings-grid">
        {FIELDS.map(({ key, label, step }) => (
          <label key={key}>
            {label}
            <input
              type="number"
              step={step}
              value={conversation.settings[key]}
              onChange={(e) => void setSettings({ [key]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
      </div>
      <button type="button" class="link" onClick={() => void resetSettings()}>
        Model defaults
      </button>
    </details>
  );
}
