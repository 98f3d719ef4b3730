// The app frame: a header with the screens (chat, models, diagnostics) and the "new version" prompt.

import { ChatView } from './ChatView';
import { DiagnosticsView } from './DiagnosticsView';
import { ModelsView } from './ModelsView';
import { type Screen, screen } from './state';
import { TaskView } from './tasks/TaskView';
import { closeTask, openTask } from './tasks/taskRoute';
import { applyUpdate, updateReady } from './updates';

const tabs: Array<{ id: Screen; label: string }> = [
  { id: 'chat', label: 'Chat' },
  { id: 'models', label: 'Models' },
  { id: 'diagnostics', label: 'Diagnostics' },
];

export function App() {
  return (
    <>
      <header class="app-header">
        <h1>RunAnywhere</h1>
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
      {updateReady.value && (
        <div class="banner" role="status">
          A new version of RunAnywhere is ready.{' '}
          <button type="button" onClick={applyUpdate}>
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
        ) : (
          <ModelsView />
        )}
      </main>
    </>
  );
}
