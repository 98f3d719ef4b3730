// The app frame: a header with the screens (chat, models, diagnostics,
// settings), the offline indicator and Install, the one-time iOS install
// hint, and the "new version" prompt.

import { ChatView } from './ChatView';
import { DiagnosticsView } from './DiagnosticsView';
import { canInstall, dismissIosHint, install, showIosHint } from './install';
import { ModelsView } from './ModelsView';
import { online } from './online';
import { SettingsView } from './SettingsView';
import { type Screen, screen } from './screen';
import { TaskView } from './tasks/TaskView';
import { closeTask, openTask } from './tasks/taskRoute';
import { applyUpdate, updateReady } from './updates';

const tabs: Array<{ id: Screen; label: string }> = [
  { id: 'chat', label: 'Chat' },
  { id: 'models', label: 'Models' },
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'settings', label: 'Settings' },
];

export function App() {
  return (
    <>
      <header class="app-header">
        <div class="app-title">
          <h1>RunAnywhere</h1>
          {!online.value && (
            <span class="offline-badge" role="status" data-testid="offline">
              Offline
            </span>
          )}
          {canInstall.value && (
            <button type="button" class="install" onClick={() => void install()}>
              Install
            </button>
          )}
        </div>
        <nav aria-label="Screens">
          {tabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              class="tab"
              aria-current={screen.value === tab.id && !openTask.value ? 'page' : undefined}
              onClick={() => {
                closeTask();
                screen.value = tab.id;
              }}
            >
              {tab.label}
            </button>
          ))}
        </nav>
      </header>
      {showIosHint.value && (
        <div class="banner" role="note" data-testid="ios-install-hint">
          Install RunAnywhere: tap Share, then “Add to Home Screen”. It then opens like an app and
          works offline.{' '}
          <button type="button" onClick={dismissIosHint}>
            Got it
          </button>
        </div>
      )}
      {updateReady.value && (
        <div class="banner" role="status">
          A new version of RunAnywhere is ready.{' '}
          <button type="button" onClick={() => void applyUpdate()}>
            Reload
          </button>
        </div>
      )}
      <main>
        {openTask.value ? (
          <TaskView />
        ) : screen.value === 'chat' ? (
          <ChatView />
        ) : screen.value === 'diagnostics' ? (
          <DiagnosticsView />
        ) : screen.value === 'settings' ? (
          <SettingsView />
        ) : (
          <ModelsView />
        )}
      </main>
    </>
  );
}
