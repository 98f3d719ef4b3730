// The settings screen: the default model, the theme (light, dark, system),
// preloading on or off, and "Clear all data" behind a confirmation that lists
// what will be deleted.

import { useSignal } from '@preact/signals';
import { appServices } from './appServices';
import { clearAllData, dataToDelete } from './clearAllData';
import { installed } from './installedModels';
import { settings, type Theme, updateSettings } from './settings';

const themes: Array<{ id: Theme; label: string }> = [
  { id: 'system', label: 'Same as the device' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

export function SettingsView() {
  const confirming = useSignal(false);
  const clearing = useSignal(false);
  const current = settings.value;
  return (
    <section class="screen" aria-labelledby="settings-title" data-testid="settings">
      <h2 id="settings-title">Settings</h2>
      <div class="field">
        <label for="default-model">Default model</label>
        <select
          id="default-model"
          value={current.defaultModel ?? ''}
          onChange={(e) =>
            updateSettings({ defaultModel: (e.target as HTMLSelectElement).value || null })
          }
        >
          <option value="">The last one used</option>
          {installed.value.map((m) => (
            <option key={m.key} value={m.key}>
              {m.manifest.name} v{m.version}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="field">
        <legend>Theme</legend>
        {themes.map((t) => (
          <label key={t.id} class="choice">
            <input
              type="radio"
              name="theme"
              value={t.id}
              checked={current.theme === t.id}
              onChange={() => updateSettings({ theme: t.id })}
            />{' '}
            {t.label}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label class="choice">
          <input
            type="checkbox"
            checked={current.preload}
            onChange={(e) => updateSettings({ preload: (e.target as HTMLInputElement).checked })}
          />{' '}
          Load the model I use most when the device is idle, so replies start sooner
        </label>
        <p class="note">Never on a low battery or when memory is short.</p>
      </div>
      <h3>Data on this device</h3>
      {confirming.value ? (
        <div data-testid="clear-confirm">
          <p id="clear-title">This deletes, from this device only:</p>
          <ul>
            {dataToDelete.value.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p class="note">The app itself stays installed and still opens offline.</p>
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={clearing.value}
              onClick={() => {
                clearing.value = true;
                const { textEngine, downloads } = appServices();
                void clearAllData(textEngine, downloads);
              }}
            >
              {clearing.value ? 'Deleting…' : 'Delete everything'}
            </button>
            <button type="button" onClick={() => (confirming.value = false)}>
              Keep my data
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => (confirming.value = true)}>
          Clear all data…
        </button>
      )}
    </section>
  );
}
