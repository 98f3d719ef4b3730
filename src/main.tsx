// Entry point of the page: builds the services (composition root), renders the
// app, loads state, starts the service worker.

import { render } from 'preact';
import { composeApp } from './app/compose';
import { detectBuiltinModel } from './inference/builtinEngine';
import { readChatModelProfile } from './storage/chatModelProfile';
import { idbConversationStore } from './storage/conversationStore';
import { App } from './ui/App';
import { connectChat, initChat } from './ui/chatState';
import { initDownloads, installed, refreshCatalog, refreshInstalled, screen } from './ui/state';
import { registerServiceWorker } from './ui/updates';
import './ui/styles.css';

const services = composeApp();
connectChat({
  textEngine: services.textEngine,
  builtinEngine: services.builtinEngine,
  conversations: idbConversationStore,
  builtinAvailable: async () => (await detectBuiltinModel()).availability === 'available',
  modelProfile: readChatModelProfile,
});

render(<App />, document.getElementById('app') as HTMLElement);

void (async () => {
  await Promise.all([refreshInstalled(), initChat()]);
  // Returning users with a model land in the chat; everyone else picks a model first.
  if (installed.value.length > 0) screen.value = 'chat';
  await refreshCatalog();
  // After the catalog, so resumed downloads can be shown on their model's card.
  await initDownloads(services.coordinator, services.downloads);
})();

if (import.meta.env.PROD) {
  registerServiceWorker().catch((error) => console.error('service worker failed', error));
}
